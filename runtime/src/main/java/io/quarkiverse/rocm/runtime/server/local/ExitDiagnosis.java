package io.quarkiverse.rocm.runtime.server.local;

import java.util.List;

import io.quarkiverse.rocm.runtime.spec.LocalSpec;

/** What a llama-server's exit means, in words, and which property to change when its last output says so. */
final class ExitDiagnosis {

    private static final String[] SIGNALS = { "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL",
            "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM" };

    private ExitDiagnosis() {
    }

    /** {@code exited with code 1}, or {@code was killed by signal 9 (SIGKILL)}. */
    static String describe(int code) {
        if (code > 128 && code < 160) {
            int sig = code - 128;
            return "was killed by signal " + sig + (sig < SIGNALS.length ? " (SIG" + SIGNALS[sig] + ")" : "");
        }
        return "exited with code " + code;
    }

    /** A sentence that names the cause and the property to change, from the server's last lines, or "". */
    static String hint(List<String> lines, LocalSpec spec) {
        String all = String.join("\n", lines);
        if (all.contains("couldn't bind HTTP server socket")) {
            return " Port " + spec.port() + " is in use: set " + spec.property("port")
                    + " to a free port, or to 0 (the default) for one chosen by the system.";
        }
        if (all.contains("no backends are loaded")) {
            return " The llama-server installation has no ggml backend next to it: reinstall it (install-llama-server.sh"
                    + " --force) or set quarkus.rocm.binary to a complete build.";
        }
        if (all.contains("out of memory") || all.contains("OutOfDeviceMemory") || all.contains("failed to allocate")) {
            return " Not enough memory for the model: lower " + spec.property("context-size") + " or "
                    + spec.property("parallel") + ", or set " + spec.property("gpu-layers") + ".";
        }
        if (all.contains("failed to load model") || all.contains("error loading model")) {
            return " llama-server could not load " + spec.model().path() + " (" + spec.property("model.path")
                    + "): is it a model this llama.cpp version supports?";
        }
        if (all.contains("error: invalid argument") || all.contains("error while handling argument")
                || all.contains("unknown argument")) {
            return " An argument was refused: check " + spec.property("args") + ".";
        }
        return "";
    }
}
