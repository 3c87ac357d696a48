package io.quarkiverse.rocm.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.rocm.runtime.client.LlamaServerClients;
import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;

/** The API's protections: the key, the body limit, the bounded queue, and a client that goes away. */
@QuarkusTest
@TestProfile(LimitsProfile.class)
class OpenAiLimitsTest {

    static final String AUTH = "Bearer " + LimitsProfile.KEY;
    static final String HELLO = "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";

    @TestHTTPResource("/v1")
    URL v1;

    @Inject
    LlamaServerClients clients;

    @Test
    void theKeyIsRequired() {
        given().contentType(ContentType.JSON).body(HELLO + "}").post("/v1/chat/completions").then().statusCode(401)
                .body("error.code", equalTo("invalid_api_key"));
        given().header("Authorization", "Bearer sk-test-0123456780").contentType(ContentType.JSON).body(HELLO + "}")
                .post("/v1/chat/completions").then().statusCode(401);
        given().get("/v1/models").then().statusCode(401);
        given().header("Authorization", AUTH).contentType(ContentType.JSON).body(HELLO + "}")
                .post("/v1/chat/completions").then().statusCode(200)
                .body("choices[0].message.content", equalTo(TinyModel.DEFAULT_REPLY));
        given().header("Authorization", "Bearer another-key").get("/v1/models").then().statusCode(200);
    }

    @Test
    void aTooLargeBodyIs413() {
        String big = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(70_000) + "\"}]}";
        given().header("Authorization", AUTH).contentType(ContentType.JSON).body(big).post("/v1/chat/completions")
                .then().statusCode(413).body("error.code", equalTo("request_too_large"))
                .body("error.message", org.hamcrest.Matchers.containsString("quarkus.rocm.openai.max-body-size"));
    }

    @Test
    void theUpstreamServerIsOnlyReachableThroughTheApi() throws Exception {
        var endpoint = clients.client("<default>").server().endpoint();
        assertThat(endpoint.socket()).as("no port: a Unix domain socket in a private folder").isNotNull();
        assertThat(java.nio.file.Files.getPosixFilePermissions(java.nio.file.Path.of(endpoint.socket()).getParent()))
                .hasSize(3).allMatch(p -> p.name().startsWith("OWNER_"));
        // and even this user, who may reach the socket, needs the application's key
        assertThat(UnixSocketPost.status(endpoint.socket(), "/v1/chat/completions", HELLO + "}")).isEqualTo(401);
    }

    static String longStream(int tokens) {
        return HELLO + ",\"stream\":true,\"ignore_eos\":true,\"max_tokens\":" + tokens
                + ",\"stream_options\":{\"include_usage\":true}}";
    }

    /** The gate filled up: the only place held until the test lets go, and two requests waiting for it. */
    record FullGate(InputStream busy, List<Future<Sse.Answer>> queued, ExecutorService pool) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            busy.close();
            pool.shutdownNow();
        }
    }

    /**
     * Holds the only place (max-in-flight 1) with a request that would generate for a minute, queues two requests
     * of {@code tokens} tokens behind it (max-queue 2) and returns once they wait.
     */
    FullGate fillTheGate(int tokens) throws Exception {
        HttpResponse<InputStream> busy = Sse.HTTP.send(Sse.post(v1 + "/chat/completions", longStream(100_000))
                .header("Authorization", AUTH).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(busy.statusCode()).isEqualTo(200);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Sse.Answer>> queued = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            queued.add(pool.submit(() -> Sse.read(Sse.post(v1 + "/chat/completions", longStream(tokens))
                    .header("Authorization", AUTH).build())));
        }
        FullGate full = new FullGate(busy.body(), queued, pool);
        var gate = clients.client("<default>").gate();
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (gate.queued() < 2) {
            if (System.nanoTime() > until) {
                full.close();
                throw new AssertionError("two requests should wait behind the busy one; " + gate.queued() + " do");
            }
            Thread.sleep(2);
        }
        return full;
    }

    @Test
    void anOverfullQueueGets429AndNothingAcceptedIsLost() throws Exception {
        try (FullGate full = fillTheGate(1500)) {
            for (int i = 0; i < 3; i++) {
                Sse.Answer a = Sse.read(Sse.post(v1 + "/chat/completions", longStream(1500))
                        .header("Authorization", AUTH).build());
                assertThat(a.status()).as("refused at once while the queue is full").isEqualTo(429);
                assertThat(new JsonObject(String.join("", a.data())).getJsonObject("error").getString("code"))
                        .isEqualTo("model_busy");
            }
            assertThat(clients.client("<default>").gate().queued()).as("the refused requests took no place")
                    .isEqualTo(2);
            full.busy().close(); // its client leaves: the waiting requests are served
            for (Future<Sse.Answer> f : full.queued()) {
                Sse.Answer a = f.get();
                assertThat(a.status()).isEqualTo(200);
                assertThat(a.data()).last().isEqualTo("[DONE]");
                JsonObject usage = a.chunks().get(a.chunks().size() - 1).getJsonObject("usage");
                assertThat(usage.getInteger("completion_tokens")).as("every token of an accepted request")
                        .isEqualTo(1500);
            }
        }
        var r = Sse.HTTP.send(Sse.post(v1 + "/chat/completions", HELLO + "}").header("Authorization", AUTH).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("the queue drained").isEqualTo(200);
    }

    @Test
    void aRetryAfterComesWith429() throws Exception {
        try (FullGate full = fillTheGate(10)) {
            given().header("Authorization", AUTH).contentType(ContentType.JSON).body(HELLO + "}")
                    .post("/v1/chat/completions").then().statusCode(429).header("Retry-After", "1")
                    .body("error.type", equalTo("rate_limit_error"));
            full.busy().close();
            for (Future<Sse.Answer> f : full.queued()) {
                assertThat(f.get().status()).isEqualTo(200);
            }
        }
    }

    @Test
    void aClientThatLeavesTheQueueGivesItsPlaceUp() throws Exception {
        var gate = clients.client("<default>").gate();
        // a request that would generate for a minute holds the only place
        HttpResponse<InputStream> busy = Sse.HTTP.send(Sse.post(v1 + "/chat/completions", longStream(100_000))
                .header("Authorization", AUTH).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream busyBody = busy.body()) {
            assertThat(busy.statusCode()).isEqualTo(200);
            String cancelled = "rocm_requests_total{endpoint=\"/v1/chat/completions\",model=\"default\",status=\"499\"}";
            double before = MetricsTest.value(MetricsTest.metrics(), cancelled);
            var waiting = Sse.HTTP.sendAsync(Sse.post(v1 + "/chat/completions", longStream(10))
                    .header("Authorization", AUTH).build(), HttpResponse.BodyHandlers.ofInputStream());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (gate.queued() < 1) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(5);
            }
            waiting.cancel(true); // the client gives up while its request waits in the queue
            while (gate.queued() > 0) {
                assertThat(System.nanoTime()).as("the queued request left the queue").isLessThan(deadline);
                Thread.sleep(5);
            }
            assertThat(gate.inFlight()).as("only the busy request holds a place").isEqualTo(1);
            assertThat(MetricsTest.value(MetricsTest.metrics(), cancelled) - before)
                    .as("the queued request ended as cancelled (499), it was not served").isEqualTo(1);
            assertThat(Slots.anyProcessing(clients.client("<default>"))).as("the busy request still runs").isTrue();
        }
        Slots.awaitIdle(clients.client("<default>"), Duration.ofSeconds(10));
    }

    @Test
    void aClientThatDisconnectsMidStreamFreesTheSlot() throws Exception {
        HttpResponse<InputStream> r = Sse.HTTP.send(Sse.post(v1 + "/chat/completions", longStream(100_000))
                .header("Authorization", AUTH).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
        assertThat(in.readLine()).startsWith("data: ");
        assertThat(Slots.anyProcessing(clients.client("<default>"))).as("generating").isTrue();
        in.close(); // the client goes away
        Slots.awaitIdle(clients.client("<default>"), Duration.ofSeconds(10));
        given().header("Authorization", AUTH).contentType(ContentType.JSON).body(HELLO + "}")
                .post("/v1/chat/completions").then().statusCode(200);
    }
}
