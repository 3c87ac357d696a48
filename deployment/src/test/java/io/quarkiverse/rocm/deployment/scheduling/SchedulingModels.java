package io.quarkiverse.rocm.deployment.scheduling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkus.test.QuarkusUnitTest;

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

    /**
     * An application serving {@code models} (tiny models with their own replies, one thread each) through the OpenAI
     * API, with the rocm provider chosen (the deployment tests also have the openai one); tests add their own keys.
     */
    static QuarkusUnitTest app(String... models) {
        QuarkusUnitTest app = new QuarkusUnitTest()
                .withApplicationRoot(jar -> jar.addClasses(Api.class, io.quarkiverse.rocm.deployment.OpenAiStream.class,
                        io.quarkiverse.rocm.deployment.Dirs.class,
                        SchedulingModels.class))
                .overrideConfigKey("quarkus.rocm.openai.enabled", "true")
                .overrideConfigKey("quarkus.langchain4j.chat-model.provider", "rocm");
        for (String m : models) {
            app.overrideConfigKey("quarkus.rocm." + m + ".model.path", file(m).toString())
                    .overrideConfigKey("quarkus.rocm." + m + ".threads", "1");
        }
        return app;
    }

    /** Waits until {@code model} serves a request (a stream the test started holds it). */
    static void awaitBusy(io.quarkiverse.rocm.runtime.server.ModelServers servers, String model)
            throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (servers.scheduler().busy(model) == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("model " + model + " serves no request after 10 s");
            }
            Thread.sleep(10);
        }
    }

    /** The llama-servers of this JVM that serve one of the scheduling tests' models, by name. */
    static List<String> running() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(p -> p.info().commandLine().orElse("")).filter(c -> c.contains("llama-server"))
                .map(c -> c.replaceAll(".*/([a-z]+)\\.gguf.*", "$1")).sorted().toList();
    }
}
