package io.quarkiverse.rocm.runtime.process;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A llama-server command line fit to show (Dev UI, logs): the values of secret-bearing flags are replaced. */
public final class Redaction {

    /** Flags whose value is a secret (llama-server's own key, a Hugging Face token). */
    static final Set<String> SECRET_FLAGS = Set.of("--api-key", "--hf-token", "-hft");
    static final String REDACTED = "****";

    private Redaction() {
    }

    public static List<String> commandLine(List<String> command) {
        List<String> out = new ArrayList<>(command.size());
        boolean secretNext = false;
        for (String arg : command) {
            if (secretNext) {
                out.add(REDACTED);
                secretNext = false;
                continue;
            }
            int eq = arg.indexOf('=');
            if (eq > 0 && SECRET_FLAGS.contains(arg.substring(0, eq))) {
                out.add(arg.substring(0, eq + 1) + REDACTED);
            } else {
                secretNext = SECRET_FLAGS.contains(arg);
                out.add(arg);
            }
        }
        return out;
    }
}
