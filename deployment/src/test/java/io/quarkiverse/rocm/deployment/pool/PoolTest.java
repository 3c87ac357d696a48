package io.quarkiverse.rocm.deployment.pool;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.langchain4j.model.chat.ChatModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkiverse.rocm.deployment.OpenAiStream;
import io.quarkiverse.rocm.runtime.server.BalanceChoice;
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.quarkiverse.rocm.runtime.server.pool.RemoteServer;
import io.quarkiverse.rocm.runtime.server.pool.Replica;
import io.quarkiverse.rocm.runtime.server.pool.ReplicaPool;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A model served by two remote llama-servers, each a real one in its own network namespace (the "GPU hosts"), with a
 * reply that names its host: requests spread over both, a conversation returns to the replica that holds its prefix
 * (llama-server then takes it from its prompt cache), a replica killed mid-stream ends that stream with an error
 * naming it while the other serves on, a replica behind a dead link is ejected by its probe, and with none left
 * readiness is DOWN and requests fail clearly; every replica that comes back is taken back.
 */
@ExtendWith(ReplicaHosts.class) // before the application: it starts the replicas and hands over their URLs
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class PoolTest {

    static final String SYSTEM = "You are the assistant of the pool test. ".repeat(24);

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(ReplicaHosts.class, Registry.class, OpenAiStream.class))
            .overrideConfigKey("quarkus.rocm.canary.interval", "200ms")
            .overrideConfigKey("quarkus.rocm.canary.timeout", "1s")
            .overrideConfigKey("quarkus.rocm.restart.initial-backoff", "200ms")
            .overrideConfigKey("quarkus.rocm.restart.max-backoff", "1s")
            .overrideConfigKey("quarkus.rocm.openai.enabled", "true")
            .overrideConfigKey("quarkus.rocm.openai.timeout", "5s")
            .overrideConfigKey("quarkus.langchain4j.chat-model.provider", "rocm");

    @Inject
    ModelServers servers;

    @Inject
    ChatModel chatModel;

    @Inject
    MeterRegistry registry;

    /** A registry that keeps values, joined to the application's composite one (no Prometheus in this module). */
    @jakarta.inject.Singleton
    public static class Registry {
        @jakarta.enterprise.inject.Produces
        @jakarta.inject.Singleton
        io.micrometer.core.instrument.simple.SimpleMeterRegistry simple() {
            return new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        }
    }

    ReplicaPool pool() {
        return ((RemoteServer) servers.defaultServer().orElseThrow()).pool();
    }

    @Test
    @Order(1)
    void requestsSpreadAndAConversationReturnsToItsPrefix() throws Exception {
        await("both replicas in rotation", Duration.ofSeconds(20), () -> pool().inRotation() == 2);
        assertThat(servers.defaultServer().orElseThrow().state()).isEqualTo(ModelServer.State.READY);
        assertThat(servers.defaultServer().orElseThrow().pid()).as("no process of its own").isEmpty();

        // two long answers at once go to two replicas (least loaded, no prefix known)
        CompletableFuture<OpenAiStream> a = stream(conversation("Spread A: " + SYSTEM, "hello"), 3000);
        await("the first stream is at a replica", Duration.ofSeconds(10), () -> inFlight() == 1);
        CompletableFuture<OpenAiStream> b = stream(conversation("Spread B: " + SYSTEM, "hello"), 3000);
        Set<Integer> served = new HashSet<>(List.of(ReplicaHosts.whose(a.get(60, TimeUnit.SECONDS).text()),
                ReplicaHosts.whose(b.get(60, TimeUnit.SECONDS).text())));
        assertThat(served).containsExactlyInAnyOrder(0, 1);

        // a conversation: its next turns, and new conversations with its system prompt, go where it went
        long affinity = pool().choices(BalanceChoice.AFFINITY);
        JsonArray turn = conversation(SYSTEM, "first question");
        JsonObject first = chat(turn);
        int home = ReplicaHosts.whose(content(first));
        assertThat(home).as(content(first)).isIn(0, 1);
        for (int i = 0; i < 3; i++) {
            turn.add(new JsonObject().put("role", "assistant").put("content", content(first)))
                    .add(new JsonObject().put("role", "user").put("content", "follow-up " + i));
            JsonObject next = chat(turn);
            assertThat(ReplicaHosts.whose(content(next))).as("turn %d", i + 2).isEqualTo(home);
            // llama-server took the earlier turns from its prompt cache: that is what the affinity is for
            assertThat(next.getJsonObject("timings").getInteger("cache_n")).as("cached prompt tokens, turn %d", i + 2)
                    .isGreaterThan(100);
            first = next;
        }
        for (int i = 0; i < 3; i++) {
            assertThat(ReplicaHosts.whose(content(chat(conversation(SYSTEM, "another conversation " + i)))))
                    .as("a new conversation with the same system prompt").isEqualTo(home);
        }
        assertThat(pool().choices(BalanceChoice.AFFINITY) - affinity).isEqualTo(6);

        // the chat model (and so the AI services) runs on the pool too
        assertThat(ReplicaHosts.whose(chatModel.chat("Hi"))).isIn(0, 1);

        // health and metrics per replica
        JsonPath ready = given().get("/q/health/ready").then().statusCode(200).extract().jsonPath();
        for (int i = 0; i < 2; i++) {
            assertThat(data(ready, "replica." + i + ".url")).isEqualTo(ReplicaHosts.url(i));
            assertThat(data(ready, "replica." + i + ".in-rotation")).isEqualTo("true");
            assertThat(Integer.parseInt(data(ready, "replica." + i + ".canary.ms"))).isGreaterThanOrEqualTo(0);
        }
        for (int i = 0; i < 2; i++) {
            String url = ReplicaHosts.url(i);
            assertThat(registry.get("rocm.replica.up").tags("model", "default", "replica", url).gauge().value())
                    .isEqualTo(1.0);
            assertThat(registry.get("rocm.replica.requests").tags("model", "default", "replica", url)
                    .functionCounter().count()).isEqualTo(pool().replicas().get(i).requests()).isPositive();
        }
        assertThat(registry.get("rocm.pool.choices").tags("model", "default", "choice", "affinity").functionCounter()
                .count()).isEqualTo(pool().choices(BalanceChoice.AFFINITY));
    }

    @Test
    @Order(2)
    void aReplicaKilledMidStreamEndsItsStreamClearlyAndTheOtherServesOn() throws Exception {
        CompletableFuture<OpenAiStream> longAnswer = stream(conversation("Crash test. " + SYSTEM, "tell me all"), 100_000);
        await("the stream is at a replica", Duration.ofSeconds(10), () -> inFlight() == 1);
        int victim = pool().replicas().stream().filter(r -> r.inFlight() == 1).findFirst().orElseThrow().index();
        int other = 1 - victim;
        Thread.sleep(300); // some tokens on their way
        ReplicaHosts.kill(victim);

        OpenAiStream broken = longAnswer.get(30, TimeUnit.SECONDS);
        assertThat(broken.done()).isFalse();
        assertThat(broken.error()).contains("replica " + ReplicaHosts.url(victim), "went away during the request",
                "out of rotation", "retry goes to the other 1 in rotation");
        assertThat(pool().replicas().get(victim).inRotation()).as("out of rotation at once").isFalse();

        // the model stays ready on the other replica, which serves every request
        JsonPath ready = given().get("/q/health/ready").then().statusCode(200).extract().jsonPath();
        assertThat(data(ready, "replica." + victim + ".in-rotation")).isEqualTo("false");
        assertThat(data(ready, "replica." + victim + ".problem")).isNotEmpty();
        for (int i = 0; i < 4; i++) {
            assertThat(ReplicaHosts.whose(content(chat(conversation(SYSTEM, "while one is down " + i)))))
                    .isEqualTo(other);
        }

        // it comes back: its probes find it and it is taken back
        ReplicaHosts.start(victim);
        await("the restarted replica back in rotation", Duration.ofSeconds(15),
                () -> pool().replicas().get(victim).inRotation());
        assertThat(pool().replicas().get(victim).ejections()).isEqualTo(1);
    }

    @Test
    @Order(3)
    void aReplicaBehindADeadLinkIsEjectedByItsProbeAndItsStreamEnds() throws Exception {
        await("both in rotation", Duration.ofSeconds(15), () -> pool().inRotation() == 2);
        // a long answer in flight at the replica whose link goes down: no reset will ever come from there
        CompletableFuture<OpenAiStream> cut = stream(conversation("Dead link stream. " + SYSTEM, "go on"), 100_000);
        await("the stream is at a replica", Duration.ofSeconds(10), () -> inFlight() == 1);
        int index = pool().replicas().stream().filter(r -> r.inFlight() == 1).findFirst().orElseThrow().index();
        Replica far = pool().replicas().get(index);
        Thread.sleep(200);
        long t0 = System.nanoTime();
        ReplicaHosts.host(index).linkDown();
        try {
            await("the unreachable replica out of rotation", Duration.ofSeconds(10), () -> !far.inRotation());
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            System.out.println("PoolTest: the replica behind the dead link was ejected " + ms + " ms after the link went down");
            // one canary interval to the next probe, which times out after the canary timeout
            assertThat(ms).as("ejected after %d ms", ms).isLessThan(200 + 1000 + 1500);
            assertThat(far.problem()).contains("GET /slots");
            // its stream ends with the ejection, not at its idle timeout
            OpenAiStream ended = cut.get(5, TimeUnit.SECONDS);
            assertThat(ended.done()).isFalse();
            assertThat(ended.error()).contains("replica " + ReplicaHosts.url(index), "went away during the request",
                    "it was taken out of rotation: GET /slots");
            assertThat(far.inFlight()).isZero();
            for (int i = 0; i < 4; i++) {
                assertThat(ReplicaHosts.whose(content(chat(conversation("Dead link. " + SYSTEM, "q " + i)))))
                        .isEqualTo(1 - index);
            }
        } finally {
            ReplicaHosts.host(index).linkUp();
        }
        await("the replica back once its link is", Duration.ofSeconds(15), far::inRotation);
    }

    @Test
    @Order(4)
    void withNoReplicaLeftReadinessIsDownAndRequestsFailClearly() throws Exception {
        ReplicaHosts.kill(0);
        ReplicaHosts.kill(1);
        ModelServer model = servers.defaultServer().orElseThrow();
        // the model's state follows the rotation once the pool told it, a moment after the last ejection
        await("no replica in rotation, the model RESTARTING", Duration.ofSeconds(10),
                () -> pool().inRotation() == 0 && model.state() == ModelServer.State.RESTARTING);
        JsonPath ready = given().get("/q/health/ready").then().statusCode(503).extract().jsonPath();
        assertThat(data(ready, "reason")).startsWith("no replica answers: ").contains(ReplicaHosts.url(0),
                ReplicaHosts.url(1));
        given().get("/q/health/live").then().statusCode(200); // restarting this application would not help

        long t0 = System.nanoTime();
        Response refused = given().contentType("application/json")
                .body(new JsonObject().put("messages", conversation(SYSTEM, "anyone?")).encode())
                .post("/v1/chat/completions");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).as("no hang").isLessThan(15);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.jsonPath().getString("error.message")).contains("no replica answers");

        ReplicaHosts.start(0);
        ReplicaHosts.start(1);
        await("both back, the model READY", Duration.ofSeconds(20),
                () -> pool().inRotation() == 2 && model.state() == ModelServer.State.READY);
        given().get("/q/health/ready").then().statusCode(200);
    }

    // ------------------------------------------------------------------ helpers

    int inFlight() {
        return pool().replicas().stream().mapToInt(Replica::inFlight).sum();
    }

    static String data(JsonPath health, String key) {
        return health.getString("checks.find { it.name == 'llama-server readiness' }.data.'default." + key + "'");
    }

    static JsonArray conversation(String system, String user) {
        return new JsonArray().add(new JsonObject().put("role", "system").put("content", system))
                .add(new JsonObject().put("role", "user").put("content", user));
    }

    static JsonObject chat(JsonArray messages) {
        Response r = given().contentType("application/json")
                .body(new JsonObject().put("messages", messages).put("max_tokens", 16).encode())
                .post("/v1/chat/completions");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        return new JsonObject(r.asString());
    }

    static String content(JsonObject answer) {
        return answer.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content");
    }

    static final HttpClient HTTP = HttpClient.newHttpClient();

    static CompletableFuture<OpenAiStream> stream(JsonArray messages, int tokens) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                + "/v1/chat/completions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("messages", messages).put("stream", true)
                        .put("max_tokens", tokens).put("ignore_eos", true).encode()))
                .build();
        long sent = System.nanoTime();
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()).thenApply(r -> OpenAiStream.read(r, sent));
    }

    static void await(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + within);
            }
            Thread.sleep(20);
        }
    }
}
