package io.quarkiverse.rocm.runtime.hibernation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import io.quarkiverse.rocm.runtime.server.Endpoint;

/**
 * A llama-server build that refuses slot saves (some do with a projector loaded; the build the tests install does
 * not, hence a local server answering as such a build does, with llama-server's error shape): the model is skipped
 * from then on, saying why once, and its stop goes on.
 */
class RefusedSaveTest {

    @TempDir
    Path dir;

    @Test
    void aRefusedSaveIsSaidOnceAndNotTriedAgain() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            asked.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            byte[] body = (exchange.getRequestURI().getPath().equals("/slots") ? "[]"
                    : "{\"error\":{\"code\":501,\"message\":\"This feature is not supported by multimodal\","
                            + "\"type\":\"not_supported_error\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/slots") ? 200 : 501, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            Endpoint at = new Endpoint("127.0.0.1", server.getAddress().getPort(), null, 1);
            Hibernator h = new Hibernator(new SlotCaches("vision", dir, Map.of("model", "vision"), 1 << 20, false), "vision",
                    2);
            h.save(at, 2);
            assertThat(h.refused()).isEqualTo("llama-server answered 501: This feature is not supported by multimodal");
            assertThat(h.saves()).isZero();
            assertThat(dir.resolve("vision")).isEmptyDirectory();
            h.save(at, 2);
            assertThat(asked).as("not asked again").containsExactly("GET /slots", "POST /slots/0?action=save");
        } finally {
            server.stop(0);
        }
    }
}
