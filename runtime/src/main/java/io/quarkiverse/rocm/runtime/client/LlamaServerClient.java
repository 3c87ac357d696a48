package io.quarkiverse.rocm.runtime.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.ReplicaPool;
import io.quarkiverse.rocm.runtime.server.Scheduler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * The only code that speaks HTTP to a llama-server: a pooled, non-blocking Vert.x client that follows the server
 * across restarts (each request goes to the endpoint the server has now), adds its API key, frames server-sent
 * events, and turns every failure into an {@link UpstreamException} that says what happened to the server.
 */
public final class LlamaServerClient implements AutoCloseable {

    private final ModelServer server;
    /** The model's remote replicas, or null for a local server. */
    private final ReplicaPool pool;
    private final HttpClient http;
    private final boolean startIfStopped;
    private final Scheduler scheduler;
    private final Gate gate;
    private final io.vertx.core.Context home;
    private final UpstreamErrors errors;
    private volatile ExchangeObserver observer = ExchangeObserver.NOOP;

    /** The answer to a whole (not streamed) request, and its observation (to report the usage to). */
    public record Response(int status, Buffer body, ExchangeObserver.Exchange exchange) {
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
        this.server = server;
        this.pool = server.pool().orElse(null);
        this.scheduler = scheduler;
        this.startIfStopped = startIfStopped;
        this.gate = gate;
        this.errors = new UpstreamErrors(server);
        this.home = vertx instanceof io.vertx.core.impl.VertxInternal internal ? internal.createEventLoopContext()
                : vertx.getOrCreateContext();
        this.http = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(Math.max(poolSize, 1))
                .setKeepAlive(true)
                // llama-server (cpp-httplib) closes idle connections after 5 s: close ours first, or a request
                // sent on a connection the server is closing fails with "connection was closed"
                .setKeepAliveTimeout(2).setPipelining(false).setConnectTimeout(5000).setTcpNoDelay(true)
                .setName("llama-server-" + server.spec().alias()));
    }

    public ModelServer server() {
        return server;
    }

    public Gate gate() {
        return gate;
    }

    public void observer(ExchangeObserver observer) {
        this.observer = observer == null ? ExchangeObserver.NOOP : observer;
    }

    /**
     * A place in the gate (completed at once, or once one frees up), failed with kind {@code BUSY} when the queue is
     * full.
     */
    private CompletableFuture<Gate.Permit> admit(boolean gated) {
        if (!gated) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Gate.Permit> permit = gate.acquire();
        if (permit == null) {
            return CompletableFuture.failedFuture(new UpstreamException(UpstreamException.Kind.BUSY,
                    "model '" + server.spec().alias() + "' is busy: " + gate.inFlight() + " requests at llama-server and "
                            + gate.queued() + " waiting (" + server.spec().property("max-queue") + "=" + gate.maxQueue()
                            + "); retry shortly",
                    null));
        }
        return permit;
    }

    /** Sends a request and collects the whole answer. The timeout includes waiting for a starting server. */
    public CompletableFuture<Response> send(HttpMethod method, String path, Buffer body, long timeoutMs) {
        return send(method, path, body, timeoutMs, method == HttpMethod.POST);
    }

    /**
     * Sends a request and collects the whole answer; {@code gated} requests take a place in the model's gate first
     * (probes and metrics do not).
     */
    public CompletableFuture<Response> send(HttpMethod method, String path, Buffer body, long timeoutMs, boolean gated) {
        CompletableFuture<Response> result = new CompletableFuture<>(); // the exchange's own
        CompletableFuture<Response> answer = new CompletableFuture<>(); // the caller's: completed after the clean-up
        io.vertx.core.Context caller = callerLoop();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        ExchangeObserver.Exchange exchange = gated ? observer.start(server.spec().alias(), path)
                : ExchangeObserver.Exchange.NOOP;
        CompletableFuture<Gate.Permit> admission = admit(gated);
        answer.whenComplete((r, e) -> {
            if (answer.isCancelled()) { // the caller gave up: leave the queue, or the scheduler's line
                admission.cancel(false);
                result.cancel(false);
            }
        });
        admission.whenComplete((permit, busy) -> {
            if (busy != null) {
                exchange.end(busy instanceof java.util.concurrent.CancellationException ? 499 : 429);
                answer.completeExceptionally(busy);
                return;
            }
            exchange.admitted();
            Route route = route(body);
            result.whenComplete((r, e) -> {
                // the place, the model's lease and the replica are given back before the caller sees the answer
                route.release();
                if (permit != null) {
                    permit.release();
                }
                exchange.end(r != null ? r.status()
                        : e instanceof UpstreamException u ? u.statusOrZero()
                                : e instanceof java.util.concurrent.CancellationException ? 499 : 0);
                if (e != null) {
                    answer.completeExceptionally(e);
                } else {
                    answer.complete(r);
                }
            });
            ready(timeoutMs, permit, result).whenComplete((endpoint, notReady) -> {
                if (notReady != null) {
                    result.completeExceptionally(notReady);
                } else {
                    ModelServer.Endpoint at = route.endpoint(endpoint);
                    if (at == null) {
                        result.completeExceptionally(noReplica(route));
                        return;
                    }
                    long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                    onEventLoop(caller, () -> sendNow(method, path, body, at, left, timeoutMs, exchange, result, route));
                }
            });
        });
        return answer;
    }

    /** The HTTP exchange of {@link #send}, on an event loop, once the server is ready. */
    private void sendNow(HttpMethod method, String path, Buffer body, ModelServer.Endpoint endpoint, long leftMs,
            long timeoutMs, ExchangeObserver.Exchange exchange, CompletableFuture<Response> result, Route route) {
        http.request(options(method, path, endpoint).setTimeout(leftMs)).onComplete(created -> {
            if (created.failed()) {
                ModelServer.Endpoint other = route.next(created.cause()); // nothing was sent: another replica
                if (other != null) {
                    sendNow(method, path, body, other, leftMs, timeoutMs, exchange, result, route);
                    return;
                }
                errors.failure(created.cause(), endpoint, timeoutMs).thenAccept(result::completeExceptionally);
                return;
            }
            HttpClientRequest req = created.result();
            route.watch(req::reset);
            // the body's handler is set in the same turn the response arrives: set later, the bytes that came with
            // the head would be dropped (an empty body although Content-Length said otherwise)
            req.response().compose(resp -> resp.body().map(b -> answer(method, path, resp, b, exchange)))
                    .onSuccess(result::complete)
                    .onFailure(e -> errors.failure(e, endpoint, timeoutMs).thenAccept(result::completeExceptionally));
            if (body != null) {
                req.putHeader("Content-Type", "application/json").end(body);
            } else {
                req.end();
            }
        });
    }

    private Response answer(HttpMethod method, String path, HttpClientResponse resp, Buffer b,
            ExchangeObserver.Exchange exchange) {
        if (b.length() == 0 && resp.statusCode() == 200 && method == HttpMethod.POST) {
            throw new UpstreamException(UpstreamException.Kind.CONNECTION_LOST, "llama-server '"
                    + server.spec().displayName() + "' answered " + path + " with 200 and an empty body (headers "
                    + resp.headers().entries() + ")", null);
        }
        return new Response(resp.statusCode(), b, exchange);
    }

    /**
     * Runs {@code action} on a Vert.x event loop: the calling request's, when it came from one (even if a queued
     * request is let in later from another thread), else this client's own. The upstream connection is then read on
     * the loop that writes the answer to the client, and no token hops between threads; a request made from any
     * other thread (a worker, a test's main thread) would take a context of that thread whose event loop is not the
     * one reading the connection.
     */
    private void onEventLoop(io.vertx.core.Context caller, Runnable action) {
        io.vertx.core.Context loop = caller != null && caller.isEventLoopContext() ? caller : home;
        if (Vertx.currentContext() == loop && io.vertx.core.Context.isOnEventLoopThread()) {
            action.run();
        } else {
            loop.runOnContext(v -> action.run());
        }
    }

    /** The event-loop context of the calling request (an HTTP request's, say), when the caller is on one. */
    private static io.vertx.core.Context callerLoop() {
        io.vertx.core.Context current = Vertx.currentContext();
        return current != null && current.isEventLoopContext() && io.vertx.core.Context.isOnEventLoopThread() ? current
                : null;
    }

    /**
     * Posts {@code body} and streams the server-sent events of the answer to {@code listener}.
     *
     * @param idleTimeoutMs the longest wait for the server to be ready, then between two pieces of the answer
     */
    public Stream stream(String path, Buffer body, long idleTimeoutMs, SseListener listener) {
        ExchangeObserver.Exchange exchange = observer.start(server.spec().alias(), path);
        SseExchange state = new SseExchange(listener, idleTimeoutMs, exchange, errors);
        io.vertx.core.Context caller = callerLoop();
        CompletableFuture<Gate.Permit> admission = admit(true);
        state.admission = admission;
        admission.whenComplete((permit, busy) -> {
            if (busy != null) {
                if (busy instanceof UpstreamException refused) {
                    state.fail(refused);
                } // else the caller cancelled while queued, and cancel() ended the exchange
                return;
            }
            state.permit = permit;
            if (state.cancelled.get()) {
                state.finish(499);
                return;
            }
            exchange.admitted();
            Route route = route(body);
            if (route.remote()) { // a remote model has no scheduler lease to hold with the place
                permit.attach(route::release);
            }
            ready(idleTimeoutMs, permit, state.gone).whenComplete((endpoint, notReady) -> {
                ModelServer.Endpoint at = notReady == null ? route.endpoint(endpoint) : null;
                if (notReady != null) {
                    state.fail((UpstreamException) notReady); // ready fails with nothing else
                } else if (state.cancelled.get()) {
                    state.finish(499);
                } else if (at == null) {
                    state.fail(noReplica(route));
                } else {
                    onEventLoop(caller, () -> streamNow(path, body, at, state, route));
                }
            });
        });
        return state;
    }

    /** The HTTP exchange of {@link #stream}, on an event loop, once the server is ready. */
    private void streamNow(String path, Buffer body, ModelServer.Endpoint endpoint, SseExchange state, Route route) {
        http.request(options(HttpMethod.POST, path, endpoint).setIdleTimeout(state.idleTimeoutMs)).onSuccess(req -> {
            state.request = req;
            route.watch(req::reset);
            if (state.cancelled.get()) {
                req.reset();
                state.finish(499);
                return;
            }
            // handlers first, then the request: the first events may come with the response's head
            req.response().onSuccess(resp -> state.receive(resp, endpoint))
                    .onFailure(e -> errors.failure(e, endpoint, state.idleTimeoutMs).thenAccept(state::fail));
            // llama-server closes the connection after a streamed answer although it says keep-alive: a pooled
            // connection would be reused in the moment before its close arrives, and fail
            req.putHeader("Content-Type", "application/json").putHeader("Accept", "text/event-stream")
                    .putHeader("Connection", "close").end(body);
        }).onFailure(e -> {
            ModelServer.Endpoint other = route.next(e); // nothing was sent: another replica
            if (other != null) {
                streamNow(path, body, other, state, route);
            } else {
                errors.failure(e, endpoint, state.idleTimeoutMs).thenAccept(state::fail);
            }
        });
    }

    /**
     * Posts {@code body} for a streamed answer whose bytes the caller relays as they come (the OpenAI API): admission
     * through the gate, the wait for a ready server and the request are this client's; reading the response is the
     * caller's, who ends the exchange once.
     *
     * @param idleTimeoutMs the longest wait for the server to be ready, then between two pieces of the answer
     */
    public RelayExchange open(String path, Buffer body, long idleTimeoutMs) {
        RelayExchange up = new RelayExchange(observer.start(server.spec().alias(), path), idleTimeoutMs, errors);
        io.vertx.core.Context caller = callerLoop();
        CompletableFuture<Gate.Permit> admission = admit(true);
        up.admission = admission;
        admission.whenComplete((permit, busy) -> {
            if (busy != null) {
                if (busy instanceof UpstreamException refused) {
                    up.end(refused.statusOrZero());
                    up.response.completeExceptionally(refused);
                } // else the caller cancelled while queued, and cancel() ended the exchange
                return;
            }
            up.permit = permit;
            if (up.cancelled) {
                up.end(499);
                return;
            }
            up.exchange.admitted();
            Route route = route(body);
            if (route.remote()) { // a remote model has no scheduler lease to hold with the place
                permit.attach(route::release);
            }
            ready(idleTimeoutMs, permit, up.gone).whenComplete((endpoint, notReady) -> {
                ModelServer.Endpoint at = notReady == null ? route.endpoint(endpoint) : null;
                if (notReady != null) {
                    up.end(503);
                    up.response.completeExceptionally(notReady);
                } else if (up.cancelled) {
                    up.end(499);
                } else if (at == null) {
                    up.end(503);
                    up.response.completeExceptionally(noReplica(route));
                } else {
                    onEventLoop(caller, () -> openNow(path, body, at, up, route));
                }
            });
        });
        return up;
    }

    private void openNow(String path, Buffer body, ModelServer.Endpoint endpoint, RelayExchange up, Route route) {
        up.endpoint = endpoint;
        http.request(options(HttpMethod.POST, path, endpoint).setIdleTimeout(up.idleTimeoutMs)).onSuccess(req -> {
            up.request = req;
            route.watch(req::reset);
            if (up.cancelled) {
                req.reset();
                up.end(499);
                return;
            }
            req.response().onSuccess(up.response::complete).onFailure(e -> up.fail(e));
            // llama-server closes the connection after a streamed answer although it says keep-alive
            req.putHeader("Content-Type", "application/json").putHeader("Accept", "text/event-stream")
                    .putHeader("Connection", "close").end(body);
        }).onFailure(e -> {
            ModelServer.Endpoint other = route.next(e); // nothing was sent: another replica
            if (other != null) {
                openNow(path, body, other, up, route);
            } else {
                up.fail(e);
            }
        });
    }

    /**
     * The server's endpoint once it is ready; failed with an {@link UpstreamException} (kind {@code UNAVAILABLE}, not
     * wrapped) that says why it is not.
     */
    /**
     * @param caller cancelled when the caller gives up: a request waiting in the scheduler's line then leaves it
     */
    private CompletableFuture<ModelServer.Endpoint> ready(long timeoutMs, Gate.Permit permit,
            CompletableFuture<?> caller) {
        if (scheduler == null || permit == null) {
            return serverReady(timeoutMs);
        }
        // the scheduler's place first (it loads the model, or waits for room), then the server's readiness
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        CompletableFuture<ModelServer.Endpoint> ready = new CompletableFuture<>();
        CompletableFuture<Scheduler.Lease> acquiring = scheduler.acquire(server.name());
        caller.whenComplete((x, e) -> {
            if (caller.isCancelled()) {
                acquiring.cancel(false);
            }
        });
        acquiring.orTimeout(timeoutMs, TimeUnit.MILLISECONDS).whenComplete((lease, err) -> {
            if (err != null) {
                Throwable cause = err instanceof java.util.concurrent.CompletionException ? err.getCause() : err;
                String why = cause instanceof java.util.concurrent.TimeoutException
                        ? scheduler.whyWaiting(server.name()) + ", for longer than " + timeoutMs
                                + " ms; retry, or raise the request timeout"
                        : cause.getMessage();
                ready.completeExceptionally(new UpstreamException(UpstreamException.Kind.UNAVAILABLE, why, cause));
                return;
            }
            permit.attach(lease::release);
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            serverReady(left).whenComplete((endpoint, notReady) -> {
                if (notReady != null) {
                    ready.completeExceptionally(notReady);
                } else {
                    ready.complete(endpoint);
                }
            });
        });
        return ready;
    }

    /** The server's endpoint once it is ready, as the start mode runs it (no scheduler involved). */
    private CompletableFuture<ModelServer.Endpoint> serverReady(long timeoutMs) {
        CompletableFuture<ModelServer.Endpoint> ready = new CompletableFuture<>();
        server.awaitReady(scheduler == null && startIfStopped).orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                .whenComplete((e, err) -> {
                    if (err == null) {
                        ready.complete(e);
                        return;
                    }
                    Throwable cause = err instanceof java.util.concurrent.CompletionException ? err.getCause() : err;
                    if (cause instanceof java.util.concurrent.TimeoutException) {
                        ready.completeExceptionally(new UpstreamException(UpstreamException.Kind.UNAVAILABLE, "llama-server '"
                                + server.spec().displayName() + "' was not ready within " + timeoutMs + " ms ("
                                + server.state().name().toLowerCase() + ": " + server.reason() + "); a large model may load"
                                + " for longer: retry, or raise the request timeout", null));
                    } else {
                        ready.completeExceptionally(
                                new UpstreamException(UpstreamException.Kind.UNAVAILABLE, cause.getMessage(), cause));
                    }
                });
        return ready;
    }

    private RequestOptions options(HttpMethod method, String path, ModelServer.Endpoint endpoint) {
        RequestOptions o = new RequestOptions().setMethod(method).setHost(endpoint.host()).setPort(endpoint.port())
                .setSsl(endpoint.ssl()).setURI(endpoint.basePath().isEmpty() ? path : endpoint.basePath() + path);
        return endpoint.apiKey() == null ? o : o.putHeader("Authorization", "Bearer " + endpoint.apiKey());
    }

    /** Where a request goes: the local server, or the replica the pool picks for its body. */
    private Route route(Buffer body) {
        return pool == null ? Route.local() : Route.through(pool, body == null ? null : body.getBytes());
    }

    private UpstreamException noReplica(Route route) {
        return new UpstreamException(UpstreamException.Kind.UNAVAILABLE, "no replica of model '"
                + server.spec().displayName() + "' is in rotation (" + route.problems() + "); check the replicas ("
                + server.spec().property("urls") + "), or retry when one answers its probes again", null);
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
