package io.quarkiverse.rocm.deployment.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkiverse.rocm.runtime.client.ExchangeObserver;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * Two callers on one model with one place at llama-server: the batch's backlog of 30 does not hold the chat's request
 * back (served after at most one more of the batch's), the batch's requests keep their order, its share of the queue
 * is bounded ({@code caller-max-queue}: 429 naming it), and the metrics count each caller when asked to.
 */
public class FairnessTest {

    static final String BATCH = "sk-batch", CHAT = "sk-chat";

    /** A registry of the test's own, which Quarkus adds to the application's. */
    public static class Registry {
        @Produces
        @Singleton
        MeterRegistry registry() {
            return new SimpleMeterRegistry();
        }
    }

    /** The order in which the gate let the requests in: "caller#n", n counting that caller's requests as they came. */
    @Singleton
    public static class Admissions implements ExchangeObserver {
        final List<String> admitted = new CopyOnWriteArrayList<>();
        final java.util.Map<String, java.util.concurrent.atomic.AtomicInteger> started = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public Exchange start(String model, String endpoint, Request request) {
            String id = request.caller() + "#" + started.computeIfAbsent(request.caller(),
                    c -> new java.util.concurrent.atomic.AtomicInteger()).getAndIncrement();
            return new Exchange() {
                @Override
                public void admitted() {
                    admitted.add(id);
                }
            };
        }
    }

    @RegisterExtension
    static final QuarkusUnitTest app = AccessApp.app(Registry.class, Admissions.class)
            .overrideConfigKey("quarkus.rocm.openai.api-keys", BATCH + "," + CHAT)
            .overrideConfigKey("quarkus.rocm.alpha.max-in-flight", "1")
            // a long answer (20k tokens) must fit the context, or the API refuses it before it takes a slot
            .overrideConfigKey("quarkus.rocm.alpha.context-size", "32768")
            .overrideConfigKey("quarkus.rocm.alpha.caller-max-queue", "29")
            .overrideConfigKey("quarkus.rocm.metrics.caller-tag", "true");

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Inject
    MeterRegistry registry;

    @Inject
    Admissions admissions;

    record Answer(String label, int status, String body, String retryAfter) {
    }

    static CompletableFuture<Answer> ask(String key, String label, int tokens, List<String> finished) {
        String body = "{\"model\":\"alpha\",\"messages\":[{\"role\":\"user\",\"content\":\"" + label + "\"}],"
                + "\"max_tokens\":" + tokens + ",\"ignore_eos\":true}";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                + "/v1/chat/completions")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
            if (r.statusCode() == 200) {
                finished.add(label);
            }
            return new Answer(label, r.statusCode(), r.body(), r.headers().firstValue("Retry-After").orElse(null));
        });
    }

    @Test
    void theChatIsNotStarvedByTheBatch() throws Exception {
        List<String> finished = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Answer>> batch = new ArrayList<>();
        // the first holds the only place for a few seconds; the others line up behind it, one at a time
        batch.add(ask(BATCH, "batch-0", 20_000, finished));
        awaitInFlight();
        for (int i = 1; i <= 30; i++) {
            batch.add(ask(BATCH, "batch-" + i, 4, finished));
            awaitQueued(Math.min(i, 29));
        }
        Answer refused = batch.get(30).get(60, TimeUnit.SECONDS);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.retryAfter()).isEqualTo("1");
        assertThat(JsonPath.from(refused.body()).getString("error.message")).contains("caller 'api-key-1'")
                .contains("quarkus.rocm.alpha.caller-max-queue=29");

        Answer chat = ask(CHAT, "chat", 4, finished).get(60, TimeUnit.SECONDS);
        assertThat(chat.status()).isEqualTo(200);
        for (CompletableFuture<Answer> f : batch.subList(0, 30)) {
            assertThat(f.get(60, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
        // let in: the batch's running request, then its next (it was waiting first), then the chat's
        List<String> order = admissions.admitted;
        assertThat(order).hasSize(31);
        assertThat(order.indexOf("api-key-2#0")).as("the chat's place in %s", order).isLessThanOrEqualTo(2);
        // nothing reordered within the batch
        List<String> batchOrder = order.stream().filter(s -> s.startsWith("api-key-1#")).toList();
        for (int i = 0; i < batchOrder.size(); i++) {
            assertThat(batchOrder.get(i)).isEqualTo("api-key-1#" + i);
        }
        assertThat(finished).contains("chat").hasSize(31);

        assertThat(registry.get("rocm.caller.requests").tags("model", "alpha", "caller", "api-key-1").counter().count())
                .isEqualTo(31);
        assertThat(registry.get("rocm.caller.requests").tags("model", "alpha", "caller", "api-key-2").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("rocm.caller.tokens").tags("caller", "api-key-2", "type", "completion").counter()
                .count()).isEqualTo(4);
        assertThat(registry.get("rocm.caller.queue.wait").tags("caller", "api-key-2").timer().count()).isEqualTo(1);
    }

    private void awaitInFlight() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (registry.find("rocm.request.queue.wait").tags("model", "alpha").timer() == null
                || registry.get("rocm.request.queue.wait").tags("model", "alpha").timer().count() < 1) {
            assertThat(System.nanoTime()).as("the first request reaches llama-server").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** Waits until the batch's requests wait in line (its requests, counted by the caller meters, are in). */
    private void awaitQueued(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (registry.find("rocm.caller.requests").tags("caller", "api-key-1").counter() == null
                || registry.get("rocm.caller.requests").tags("caller", "api-key-1").counter().count() < n + 1) {
            assertThat(System.nanoTime()).as(n + " batch requests in").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
