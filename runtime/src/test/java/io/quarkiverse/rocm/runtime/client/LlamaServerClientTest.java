package io.quarkiverse.rocm.runtime.client;

import static io.quarkiverse.rocm.runtime.TestSupport.tinySpec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.local.LocalServer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.impl.VertxInternal;

/** The client against a real llama-server. */
class LlamaServerClientTest {

    static Vertx vertx;
    static ModelServer server;
    static LlamaServerClient client;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        server = new LocalServer(tinySpec("quarkus.rocm.parallel", "2"));
        server.start().get(60, TimeUnit.SECONDS);
        client = new LlamaServerClient(vertx, server, 2, false, new Gate(2, 100_000));
    }

    @AfterAll
    static void stop() {
        client.close();
        server.stop();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /**
     * Requests sent from threads that are not Vert.x's, from worker contexts and from event loops, sharing pooled
     * connections, each get their whole answer. A response body is only kept once a handler is set: set a moment late
     * (a callback hopping to another thread), the bytes that came with the head are dropped. CI saw that once, as
     * "answered 200 and an empty body"; it did not recur here in thousands of requests, so this is a guard over every
     * kind of caller, not a reproduction (raise -Dstress=N to push harder).
     */
    @Test
    void everyAnswerArrivesWholeWhateverThreadAsks() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        VertxInternal internal = (VertxInternal) vertx;
        List<Context> contexts = List.of(internal.createWorkerContext(), internal.createWorkerContext(),
                internal.createEventLoopContext(), internal.createEventLoopContext());
        try {
            List<CompletableFuture<LlamaServerClient.Response>> answers = new ArrayList<>();
            int n = Integer.getInteger("stress", 600);
            for (int i = 0; i < n; i++) {
                boolean post = i % 2 == 0;
                Supplier<CompletableFuture<LlamaServerClient.Response>> ask = () -> post
                        ? client.send(HttpMethod.POST, "/completion",
                                Buffer.buffer("{\"prompt\":\"Hi\",\"n_predict\":1}"), 30_000, ExchangeObserver.Request.OWN)
                        : client.send(HttpMethod.GET, "/slots", null, 30_000, false, ExchangeObserver.Request.OWN);
                CompletableFuture<LlamaServerClient.Response> answer = new CompletableFuture<>();
                if (i % 3 == 0) {
                    threads.execute(() -> ask.get().whenComplete(complete(answer)));
                } else {
                    contexts.get(i % contexts.size()).runOnContext(v -> ask.get().whenComplete(complete(answer)));
                }
                answers.add(answer);
            }
            int posts = 0;
            for (CompletableFuture<LlamaServerClient.Response> answer : answers) {
                LlamaServerClient.Response r = answer.get(60, TimeUnit.SECONDS);
                assertThat(r.status()).isEqualTo(200);
                if (r.body().toString().startsWith("{")) {
                    assertThat(r.body().toJsonObject().getString("content")).isEqualTo("Hello!");
                    posts++;
                } else {
                    assertThat(r.body().toJsonArray()).hasSize(2);
                }
            }
            assertThat(posts).isEqualTo((n + 1) / 2);
        } finally {
            threads.shutdownNow();
        }
    }

    /** A server that is not running fails both kinds of request with its own reason, as a 503, not wrapped. */
    @Test
    void aStoppedServerIsReportedAsItIs() throws Exception {
        ModelServer stopped = new LocalServer(tinySpec());
        List<Integer> ends = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (LlamaServerClient c = new LlamaServerClient(vertx, stopped, 1, false, new Gate(1, 1))) {
            c.observer((model, endpoint, request) -> new ExchangeObserver.Exchange() {
                @Override
                public void end(int status) {
                    ends.add(status);
                }
            });
            String reason = "llama-server 'default' is stopped (";
            assertThatThrownBy(
                    () -> c.send(HttpMethod.POST, "/completion", Buffer.buffer("{}"), 5_000, ExchangeObserver.Request.OWN)
                            .get(10, TimeUnit.SECONDS))
                    .cause().isInstanceOf(UpstreamException.class)
                    .hasMessageStartingWith(reason)
                    .satisfies(e -> assertThat(((UpstreamException) e).statusOrZero()).isEqualTo(503));
            CompletableFuture<UpstreamException> streamed = new CompletableFuture<>();
            c.stream("/completion", Buffer.buffer("{}"), 5_000, ExchangeObserver.Request.OWN, new SseListener() {
                @Override
                public void onData(Buffer data) {
                }

                @Override
                public void onComplete() {
                    streamed.completeExceptionally(new AssertionError("completed"));
                }

                @Override
                public void onError(UpstreamException error) {
                    streamed.complete(error);
                }
            });
            assertThat(streamed.get(10, TimeUnit.SECONDS)).hasMessageStartingWith(reason)
                    .extracting(UpstreamException::kind).isEqualTo(UpstreamException.Kind.UNAVAILABLE);
            assertThat(ends).as("the metrics see both as 503").containsExactly(503, 503);
        }
    }

    static <T> BiConsumer<T, Throwable> complete(CompletableFuture<T> target) {
        return (value, error) -> {
            if (error != null) {
                target.completeExceptionally(error);
            } else {
                target.complete(value);
            }
        };
    }
}
