package io.quarkiverse.rocm.deployment;

import java.util.List;

/** The llama-server processes children of this JVM runs. */
public final class LlamaServers {

    private LlamaServers() {
    }

    public static List<ProcessHandle> running() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains("llama-server")).toList();
    }
}
