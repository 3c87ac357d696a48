package io.quarkiverse.rocm.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The packaged demo, whose default model has {@code kv-cache.hibernate}, stopped gracefully (SIGTERM) and started
 * again: the conversation's next turn finds its long system prompt cached, restored before the first request.
 */
class HibernationRestartIT {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** About 1,350 tokens: a long system prompt. */
    static final String SYSTEM = "The quick brown fox jumps over the lazy dog. ".repeat(30);

    @Test
    void aConversationSurvivesAnApplicationRestart() throws Exception {
        Path dir = Files.createTempDirectory("kv-cache");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        JsonArray turn1 = new JsonArray().add(new JsonObject().put("role", "system").put("content", SYSTEM))
                .add(new JsonObject().put("role", "user").put("content", "Hi"));
        JsonObject first;
        Process app = start(port, dir);
        try {
            first = chat(port, turn1);
        } finally {
            stop(app); // SIGTERM: the application stops gracefully, and its llama-servers with it
        }
        int prompt = first.getJsonObject("timings").getInteger("prompt_n");
        assertThat(prompt).isGreaterThan(1000);
        assertThat(dir.resolve("default").resolve("slot-0.bin")).as("saved at the stop").exists();

        app = start(port, dir);
        try {
            JsonArray turn2 = turn1.copy().add(new JsonObject().put("role", "assistant").put("content",
                    first.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content")))
                    .add(new JsonObject().put("role", "user").put("content", "And then?"));
            JsonObject timings = chat(port, turn2).getJsonObject("timings");
            assertThat(timings.getInteger("cache_n")).as("restored at the start").isGreaterThanOrEqualTo(prompt);
            assertThat(timings.getInteger("prompt_n")).as("only the new turn evaluated").isLessThan(prompt / 10);
            String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("rocm_kv_cache_restores_seconds_count{model=\"default\"} 1.0",
                    "rocm_kv_cache_saves_seconds_count{model=\"default\"} 0.0", "rocm_kv_cache_saved_bytes{model=\"default\"}",
                    "rocm_kv_cache_written_bytes_total{model=\"default\"} 0.0");
            assertThat(metrics).containsPattern("rocm_kv_cache_restored_tokens_total\\{model=\"default\"} 1[34]\\d\\d\\.0");
        } finally {
            stop(app);
        }
    }

    /** Stops the application gracefully; none of its llama-servers is left running. */
    static void stop(Process app) throws Exception {
        java.util.List<ProcessHandle> servers = JvmKilledIT.llamaServers(app.toHandle());
        app.destroy();
        assertThat(app.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(servers).as("llama-servers left running").noneMatch(ProcessHandle::isAlive);
    }

    static Process start(int port, Path dir) throws Exception {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        assertThat(jar).exists();
        File log = Files.createTempFile("hibernation", ".log").toFile();
        log.deleteOnExit();
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + port, "-Dquarkus.rocm.hibernation.dir=" + dir, "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(log).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            assertThat(jvm.isAlive()).as("application running; log:\n%s", Files.readString(log.toPath())).isTrue();
            assertThat(System.nanoTime()).as("ready; log:\n%s", Files.readString(log.toPath())).isLessThan(deadline);
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return jvm;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
    }

    static JsonObject chat(int port, JsonArray messages) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/v1/chat/completions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("model", "default")
                        .put("messages", messages).put("max_tokens", 8).encode()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new JsonObject(r.body());
    }
}
