package io.quarkiverse.rocm.runtime.client;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkiverse.rocm.runtime.json.Json;
import io.quarkiverse.rocm.runtime.scheduling.Scheduler;
import io.quarkiverse.rocm.runtime.server.Endpoint;
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.Route;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.tracing.TracingPolicy;

/**
 * The only code that speaks HTTP to a llama-server: a pooled, non-blocking Vert.x client. Every request is let in the
 * same way ({@link Admission}: gate, lease, ready server, route), goes to the endpoint its route gives (the server
 * now, across restarts; a replica of a pool) with its API key, and every failure becomes an {@link UpstreamException}
 * that says what happened to the server ({@link UpstreamErrors}).
 */
public final class LlamaServerClient implements AutoCloseable {

    private final ModelServer server;
    private final HttpClient http;
    private final boolean startIfStopped;
    private final Scheduler scheduler;
    private final Gate gate;
    private final Vertx vertx;
    private final UpstreamErrors errors;
    private volatile Context home;
    private volatile ExchangeObserver observer = ExchangeObserver.NOOP;

    /** The answer to a whole (not streamed) request, and its observation (to report the usage to). */
    /**
     * A whole answer; {@code json} is its body parsed when it is a request's 200 answer in JSON (its usage reported
     * already), else null.
     */
    public record Response(int status, Buffer body, JsonNode json, ExchangeObserver.Exchange exchange) {
    }

    /** A streamed answer in progress. */
    public interface Stream {
        /** Closes the connection: llama-server notices and stops generating, freeing its slot. */
        void cancel();

        boolean isCancelled();

        /** The observation of this exchange, to report the usage to. */
        ExchangeObserver.Exchange exchange();
    }

    /**
     * @param poolSize connections kept to the server: at least its parallel slots
     * @param startIfStopped start a stopped server on first use ({@code quarkus.rocm.start=lazy})
     * @param gate the bound on requests in flight and queued
     */
    public LlamaServerClient(Vertx vertx, ModelServer server, int poolSize, boolean startIfStopped, Gate gate) {
        this(vertx, server, poolSize, startIfStopped, gate, null);
    }

    /**
     * @param scheduler loads the model for a request (and may unload it when idle), or null: the server runs as the
     *        start mode says
     */
    public LlamaServerClient(Vertx vertx, ModelServer server, int poolSize, boolean startIfStopped, Gate gate,
            Scheduler scheduler) {
        this.vertx = vertx;
        this.server = server;
        this.scheduler = scheduler;
        this.startIfStopped = startIfStopped;
        this.gate = gate;
        this.errors = new UpstreamErrors(server);
        this.http = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(Math.max(poolSize, 1))
                .setKeepAlive(true)
                // llama-server (cpp-httplib) closes idle connections after 5 s: close ours first, or a request
                // sent on a connection the server is closing fails with "connection was closed"
                .setKeepAliveTimeout(2).setPipelining(false).setConnectTimeout(5000).setTcpNoDelay(true)
                // the extension's own GenAI span stands for each request (with quarkus-opentelemetry): Vert.x's
                // would be a second, parentless one (this client runs on its own context), and one per metrics poll
                .setTracingPolicy(TracingPolicy.IGNORE)
                .setName("llama-server-" + server.spec().alias()));
    }

    public ModelServer server() {
        return server;
    }

    public Gate gate() {
        return gate;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    boolean startIfStopped() {
        return startIfStopped;
    }

    public void observer(ExchangeObserver observer) {
        this.observer = observer == null ? ExchangeObserver.NOOP : observer;
    }

    /** Sends a request and collects the whole answer. The timeout includes waiting for a starting server. */
    public CompletableFuture<Response> send(HttpMethod method, String path, Buffer body, long timeoutMs,
            ExchangeObserver.Request request) {
        return send(method, path, body, timeoutMs, method == HttpMethod.POST, request);
    }

    /**
     * Sends a request and collects the whole answer; {@code gated} requests are let in through the model's gate and
     * scheduler first (the metrics bridge's {@code GET /metrics} of a ready server is not).
     */
    public CompletableFuture<Response> send(HttpMethod method, String path, Buffer body, long timeoutMs, boolean gated,
            ExchangeObserver.Request request) {
        CompletableFuture<Response> result = new CompletableFuture<>(); // the exchange's own
        CompletableFuture<Response> answer = new CompletableFuture<>(); // the caller's: completed after the clean-up
        Context caller = callerLoop();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        ExchangeObserver.Exchange exchange = gated ? observer.start(server.spec().alias(), path, request)
                : ExchangeObserver.Exchange.NOOP;
        Admission admission = new Admission(this, exchange, request, bytes(body), gated);
        ExchangeEnd end = new ExchangeEnd(admission, exchange);
        answer.whenComplete((r, e) -> {
            if (answer.isCancelled()) { // the caller gave up: leave the queue, or the scheduler's line
                end.cancel();
                result.cancel(false);
            }
        });
        result.whenComplete((r, e) -> {
            // the place, the model's lease and the replica are given back before the caller sees the answer
            end.end(r != null ? r.status() : status(e));
            if (e != null) {
                answer.completeExceptionally(e instanceof CompletionException c ? c.getCause() : e);
            } else {
                answer.complete(r);
            }
        });
        admission.enter(timeoutMs).whenComplete((at, refused) -> {
            if (refused != null) {
                result.completeExceptionally(refused instanceof CompletionException c ? c.getCause() : refused);
                return;
            }
            long left = Math.max(1, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            onEventLoop(caller, () -> sendNow(method, path, admission.body(body), at, left, timeoutMs, exchange,
                    request.captured(), result, end));
        });
        return answer;
    }

    /** The HTTP exchange of {@link #send}, on an event loop, once the request is let in. */
    private void sendNow(HttpMethod method, String path, Buffer body, Endpoint endpoint, long leftMs, long timeoutMs,
            ExchangeObserver.Exchange exchange, boolean capture, CompletableFuture<Response> result, ExchangeEnd end) {
        Route route = end.admission.route();
        http.request(options(method, path, endpoint).setTimeout(leftMs)).onComplete(created -> {
            if (created.failed()) {
                Endpoint other = route.next(created.cause()); // nothing was sent: another replica
                if (other != null) {
                    sendNow(method, path, body, other, leftMs, timeoutMs, exchange, capture, result, end);
                    return;
                }
                errors.failure(created.cause(), route, endpoint, timeoutMs).thenAccept(result::completeExceptionally);
                return;
            }
            HttpClientRequest req = created.result();
            end.sent(req);
            route.watch(req::reset);
            // the body's handler is set in the same turn the response arrives: set later, the bytes that came with
            // the head would be dropped (an empty body although Content-Length said otherwise)
            req.response().compose(resp -> resp.body().map(b -> answer(method, path, resp, b, exchange, capture)))
                    .onSuccess(result::complete).onFailure(e -> errors.failure(e, route, endpoint, timeoutMs)
                            .thenAccept(result::completeExceptionally));
            if (body != null) {
                req.putHeader("Content-Type", "application/json").end(body);
            } else {
                req.end();
            }
        });
    }

    private Response answer(HttpMethod method, String path, HttpClientResponse resp, Buffer b,
            ExchangeObserver.Exchange exchange, boolean capture) {
        if (b.length() == 0 && resp.statusCode() == 200 && method == HttpMethod.POST) {
            throw new UpstreamException(UpstreamException.Kind.CONNECTION_LOST, "llama-server '"
                    + server.spec().displayName() + "' answered " + path + " with 200 and an empty body (headers "
                    + resp.headers().entries() + ")", null);
        }
        if (capture) {
            exchange.answer(b.toString());
        }
        JsonNode json = null;
        if (resp.statusCode() == 200 && method == HttpMethod.POST) {
            try {
                json = Json.MAPPER.readTree(b.getBytes());
                Usage.report(json, exchange); // before the exchange ends, so that its observers see it
            } catch (IOException notJson) {
                json = null; // the caller says what it expected
            }
        }
        return new Response(resp.statusCode(), b, json, exchange);
    }

    /** The body's bytes, copied only if asked for. */
    private static Supplier<byte[]> bytes(Buffer body) {
        return body == null ? () -> null : body::getBytes;
    }

    private static int status(Throwable e) {
        Throwable t = e instanceof CompletionException c ? c.getCause() : e;
        return t instanceof UpstreamException u ? u.statusOrZero() : t instanceof CancellationException ? 499 : 0;
    }

    /**
     * Posts {@code body} and streams the server-sent events of the answer to {@code listener}.
     *
     * @param idleTimeoutMs the longest wait for the server to be ready, then between two pieces of the answer
     */
    public Stream stream(String path, Buffer body, long idleTimeoutMs, ExchangeObserver.Request request,
            SseListener listener) {
        ExchangeObserver.Exchange exchange = observer.start(server.spec().alias(), path, request);
        Admission admission = new Admission(this, exchange, request, bytes(body), true);
        SseExchange state = new SseExchange(listener, idleTimeoutMs, new ExchangeEnd(admission, exchange), errors);
        Context caller = callerLoop();
        admission.enter(idleTimeoutMs).whenComplete((at, refused) -> {
            if (refused != null) {
                Throwable cause = refused instanceof CompletionException c ? c.getCause() : refused;
                if (cause instanceof UpstreamException u) {
                    state.fail(u);
                } else {
                    state.end.end(499); // the caller went away meanwhile
                }
            } else if (state.end.cancelled()) {
                state.end.end(499);
            } else {
                onEventLoop(caller, () -> streamNow(path, admission.body(body), at, state));
            }
        });
        return state;
    }

    /** The HTTP exchange of {@link #stream}, on an event loop, once the request is let in. */
    private void streamNow(String path, Buffer body, Endpoint endpoint, SseExchange state) {
        Route route = state.end.admission.route();
        http.request(options(HttpMethod.POST, path, endpoint).setIdleTimeout(state.idleTimeoutMs)).onSuccess(req -> {
            state.end.sent(req);
            route.watch(req::reset);
            if (state.end.cancelled()) {
                return; // reset by sent()
            }
            // handlers first, then the request: the first events may come with the response's head
            req.response().onSuccess(resp -> state.receive(resp, endpoint))
                    .onFailure(e -> state.explain(e, endpoint));
            // llama-server closes the connection after a streamed answer although it says keep-alive: a pooled
            // connection would be reused in the moment before its close arrives, and fail
            req.putHeader("Content-Type", "application/json").putHeader("Accept", "text/event-stream")
                    .putHeader("Connection", "close").end(body);
        }).onFailure(e -> {
            Endpoint other = route.next(e); // nothing was sent: another replica
            if (other != null) {
                streamNow(path, body, other, state);
            } else {
                state.explain(e, endpoint);
            }
        });
    }

    /**
     * Posts {@code body} for a streamed answer whose bytes the caller relays as they come (the OpenAI API): admission
     * and the request are this client's; reading the response is the caller's, who ends the exchange once.
     *
     * @param idleTimeoutMs the longest wait for the server to be ready, then between two pieces of the answer
     */
    public RelayExchange open(String path, Buffer body, long idleTimeoutMs, ExchangeObserver.Request request) {
        ExchangeObserver.Exchange exchange = observer.start(server.spec().alias(), path, request);
        Admission admission = new Admission(this, exchange, request, bytes(body), true);
        RelayExchange up = new RelayExchange(new ExchangeEnd(admission, exchange), idleTimeoutMs, errors);
        Context caller = callerLoop();
        admission.enter(idleTimeoutMs).whenComplete((at, refused) -> {
            if (refused != null) {
                Throwable cause = refused instanceof CompletionException c ? c.getCause() : refused;
                if (cause instanceof UpstreamException) {
                    up.fail(cause);
                } else {
                    up.end(499); // the caller went away meanwhile
                }
            } else if (up.end.cancelled()) {
                up.end(499);
            } else {
                onEventLoop(caller, () -> openNow(path, admission.body(body), at, up));
            }
        });
        return up;
    }

    private void openNow(String path, Buffer body, Endpoint endpoint, RelayExchange up) {
        Route route = up.end.admission.route();
        up.endpoint = endpoint;
        http.request(options(HttpMethod.POST, path, endpoint).setIdleTimeout(up.idleTimeoutMs)).onSuccess(req -> {
            up.end.sent(req);
            route.watch(req::reset);
            if (up.end.cancelled()) {
                return; // reset by sent()
            }
            req.response().onSuccess(up.response::complete).onFailure(up::fail);
            // llama-server closes the connection after a streamed answer although it says keep-alive
            req.putHeader("Content-Type", "application/json").putHeader("Accept", "text/event-stream")
                    .putHeader("Connection", "close").end(body);
        }).onFailure(e -> {
            Endpoint other = route.next(e); // nothing was sent: another replica
            if (other != null) {
                openNow(path, body, other, up);
            } else {
                up.fail(e);
            }
        });
    }

    /**
     * Runs {@code action} on a Vert.x event loop: the calling request's, when it came from one (even if a queued
     * request is let in later from another thread), else one of this client's Vert.x. The upstream connection is then
     * read on the loop that writes the answer to the client, and no token hops between threads.
     */
    private void onEventLoop(Context caller, Runnable action) {
        if (caller != null) {
            if (Vertx.currentContext() == caller && Context.isOnEventLoopThread()) {
                action.run();
            } else {
                caller.runOnContext(v -> action.run());
            }
            return;
        }
        // a request from a worker or a test's thread: this client's own event loop, whose connection it reads there
        home().runOnContext(v -> action.run());
    }

    /**
     * This client's event-loop context, made once on an event-loop thread of its Vert.x: there, a new context is an
     * event loop's (made on the calling thread it could be a worker's).
     */
    private Context home() {
        Context h = home;
        if (h == null && Context.isOnEventLoopThread()) {
            h = home = vertx.getOrCreateContext();
        } else if (h == null) {
            CompletableFuture<Context> made = new CompletableFuture<>();
            vertx.nettyEventLoopGroup().next().execute(() -> made.complete(vertx.getOrCreateContext()));
            h = home = made.join();
        }
        return h;
    }

    /** The event-loop context of the calling request (an HTTP request's, say), when the caller is on one. */
    private static Context callerLoop() {
        Context current = Vertx.currentContext();
        return current != null && current.isEventLoopContext() && Context.isOnEventLoopThread() ? current : null;
    }

    private RequestOptions options(HttpMethod method, String path, Endpoint endpoint) {
        RequestOptions o = new RequestOptions().setMethod(method).setHost(endpoint.host()).setPort(endpoint.port())
                .setSsl(endpoint.ssl()).setURI(endpoint.basePath().isEmpty() ? path : endpoint.basePath() + path);
        if (endpoint.socket() != null) { // a local llama-server on its Unix domain socket (native transport)
            o.setServer(SocketAddress.domainSocketAddress(endpoint.socket()));
        }
        return endpoint.apiKey() == null ? o : o.putHeader("Authorization", "Bearer " + endpoint.apiKey());
    }

    /** llama-server's error answer of {@code status}, as an exception (the one parser of its error bodies). */
    public UpstreamException httpError(int status, Buffer body) {
        return errors.httpError(status, body);
    }

    @Override
    public void close() {
        http.close();
    }
}
