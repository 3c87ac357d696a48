package io.quarkiverse.rocm.deployment.scheduling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

import io.quarkiverse.rocm.testing.TinyModel;

/** Tiny models with their own replies, written once into target/, and what the scheduling tests configure. */
final class SchedulingModels {

    private SchedulingModels() {
    }

    static String reply(String name) {
        return Character.toUpperCase(name.charAt(0)) + name.substring(1) + " speaking.";
    }

    static Path file(String name) {
        try {
            return TinyModel.builder().reply(reply(name)).build()
                    .ensure(Path.of("target", "test-models", "scheduling", name + ".gguf").toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The llama-servers of this JVM that serve one of the scheduling tests' models, by name. */
    static List<String> running() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(p -> p.info().commandLine().orElse("")).filter(c -> c.contains("llama-server"))
                .map(c -> c.replaceAll(".*/([a-z]+)\\.gguf.*", "$1")).sorted().toList();
    }
}
