package io.quarkiverse.rocm.runtime.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkiverse.rocm.runtime.TestSupport;
import io.quarkiverse.rocm.runtime.config.PullPolicy;
import io.quarkiverse.rocm.testing.hub.TestHub;

/**
 * The installed llama-server's own {@code -hf} and this extension share one cache: each finds what the other pulled.
 */
class LlamaServerHfTest {

    static final String REPO = "tiny-org/plain-GGUF";

    TestHub hub;
    Path cache;
    Process server;

    @BeforeEach
    void hub(org.junit.jupiter.api.TestInfo test) throws Exception {
        hub = new TestHub().file(REPO, "plain-Q4_K_M.gguf", HubFixture.gguf("Q4_K_M"))
                .file(REPO, "plain-Q8_0.gguf", HubFixture.gguf("Q8_0"));
        cache = HubFixture.tempDir(test.getTestMethod().orElseThrow().getName());
    }

    @AfterEach
    void close() throws Exception {
        if (server != null) {
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        hub.close();
    }

    @Test
    void llamaServerOfflineLoadsWhatThisExtensionPulled() throws Exception {
        Pulled pulled = HubFixture.pull(HubFixture.puller(hub, cache), REPO + ":Q8_0", PullPolicy.WHEN_MISSING);
        hub.close(); // offline: llama-server reads the cache only

        String modelPath = serve(List.of("-hf", REPO + ":Q8_0", "--offline"), Map.of("LLAMA_CACHE", cache.toString()));
        assertThat(Path.of(modelPath)).isEqualTo(pulled.file());
    }

    @Test
    void thisExtensionFindsWhatLlamaServerPulled() throws Exception {
        String modelPath = serve(List.of("-hf", REPO + ":Q8_0"),
                Map.of("LLAMA_CACHE", cache.toString(), "HF_ENDPOINT", hub.endpoint().toString()));
        assertThat(hub.seen()).as("llama-server asked the test hub").anyMatch(s -> s.path().endsWith("/refs"));
        server.destroy();
        server.waitFor(10, TimeUnit.SECONDS);

        hub.clearSeen();
        Pulled found = HubFixture.pull(HubFixture.puller(hub, cache), REPO + ":Q8_0", PullPolicy.NEVER);
        assertThat(found.file()).isEqualTo(Path.of(modelPath));
        assertThat(Files.readAllBytes(found.file())).isEqualTo(hub.get(REPO, "plain-Q8_0.gguf").content());
        assertThat(hub.seen()).as("found in the cache, the hub not asked").isEmpty();
    }

    /** Starts llama-server with {@code args}; returns the model file it loaded ({@code /props} model_path). */
    private String serve(List<String> args, Map<String, String> env) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(TestSupport.tinySpec().binary().toString()));
        command.addAll(args);
        command.addAll(List.of("--host", "127.0.0.1", "--port", Integer.toString(port), "-c", "256", "-t", "1"));
        Path log = cache.resolve("../" + cache.getFileName() + "-llama-server.log").normalize();
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        server = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertThat(server.isAlive()).as(() -> "llama-server exited: " + read(log)).isTrue();
            if (status(port, "/health") == 200) {
                String props = get(port, "/props");
                return com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(props)
                        .path("model_path").asText();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("llama-server was not ready in 60 s: " + read(log));
    }

    private static int status(int port, String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(2000);
            return c.getResponseCode();
        } catch (IOException e) {
            return -1;
        }
    }

    private static String get(int port, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        return new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
