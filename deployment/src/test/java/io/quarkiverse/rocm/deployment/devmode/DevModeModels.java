package io.quarkiverse.rocm.deployment.devmode;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.quarkiverse.rocm.testing.TinyModel;
import io.restassured.RestAssured;

/**
 * What the dev-mode tests run on: tiny models with their own replies, written into target/ once, and the llama-server
 * processes of this JVM (dev mode runs in the test's JVM) by model file.
 */
final class DevModeModels {

    private DevModeModels() {
    }

    /** A tiny model that answers {@code I am the NAME model.}, in {@code target/test-models/NAME.gguf}. */
    static Path model(String name) {
        try {
            return TinyModel.builder().reply(reply(name)).build()
                    .ensure(Path.of("target", "test-models", name + ".gguf").toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asks model {@code model} through the dev-mode application's resource; expects 200. */
    static String ask(int port, String model) {
        return RestAssured.given().port(port).queryParam("model", model).get("/dev-test/ask").then()
                .statusCode(200).extract().asString();
    }

    static String reply(String name) {
        return "I am the " + name + " model.";
    }

    /** The configuration of a model named {@code name} (the default one for "default") on its own tiny model. */
    static String config(String name) {
        String p = "default".equals(name) ? "quarkus.rocm." : "quarkus.rocm." + name + ".";
        return p + "model.path=" + model(name) + "\n" + p + "threads=1\n" + p + "context-size=512\n";
    }

    /** A free port for the dev-mode HTTP server (it must stay the same across restarts). */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The running llama-servers of this JVM, by the model file's name (first.gguf -> first). */
    static Map<String, ProcessHandle> running() {
        Map<String, ProcessHandle> byModel = new TreeMap<>();
        ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).forEach(p -> {
            String cmd = p.info().commandLine().orElse("");
            if (cmd.contains("llama-server") && cmd.contains("test-models/")) {
                String file = cmd.substring(cmd.indexOf("test-models/") + "test-models/".length());
                byModel.put(file.substring(0, file.indexOf(".gguf")), p);
            }
        });
        return byModel;
    }

    static long pid(String model) {
        ProcessHandle p = running().get(model);
        assertThat(p).as("a llama-server runs for model %s (running: %s)", model, running().keySet()).isNotNull();
        return p.pid();
    }

    static String commandLine(String model) {
        return Optional.ofNullable(running().get(model)).flatMap(p -> p.info().commandLine()).orElse("");
    }

    /** Waits until no llama-server of the dev-mode tests runs any more (a stop takes a few milliseconds). */
    static void assertNoneLeft() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!running().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(running()).as("llama-servers left running after dev mode ended").isEmpty();
    }

    static List<String> names(Map<String, ProcessHandle> running) {
        return List.copyOf(running.keySet());
    }
}
