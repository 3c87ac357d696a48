package io.quarkiverse.rocm.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a page's shell commands as a reader would paste them, against the test's application: {@code localhost:8080}
 * becomes the test's port, and {@code curl} fails on an HTTP error (the commands themselves stay as readers see them).
 */
public final class Commands {

    private Commands() {
    }

    /** What a command printed; fails with its output when it exits with an error. */
    public static String run(String commands, int port, Map<String, String> env) {
        String script = "set -euo pipefail\ncurl() { command curl --fail-with-body -sS \"$@\"; }\n"
                + commands.replace("localhost:8080", "localhost:" + port);
        try {
            Path printed = Files.createTempFile("guide-command", ".out");
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true)
                    .redirectOutput(printed.toFile()); // read once it ended: a command that hangs cannot hang the test
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(
                        "did not end within 60 s:\n" + commands + "\nit printed:\n" + Files.readString(printed));
            }
            String out = Files.readString(printed, StandardCharsets.UTF_8);
            Files.delete(printed);
            if (p.exitValue() != 0) {
                throw new AssertionError("exit " + p.exitValue() + " from:\n" + commands + "\nwhich printed:\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("could not run bash", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
