package io.quarkiverse.rocm.runtime.client;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.quarkiverse.rocm.runtime.hibernation.ConversationSlots;
import io.quarkiverse.rocm.runtime.hibernation.Hibernator;
import io.quarkiverse.rocm.runtime.scheduling.KeepAlive;
import io.quarkiverse.rocm.runtime.scheduling.Lease;
import io.quarkiverse.rocm.runtime.scheduling.Scheduler;
import io.quarkiverse.rocm.runtime.scheduling.WaitTimeoutException;
import io.quarkiverse.rocm.runtime.server.Endpoint;
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.Prefixes;
import io.quarkiverse.rocm.runtime.server.Route;
import io.vertx.core.buffer.Buffer;

/**
 * One request's way in to its model, the same for every kind of exchange: a place in the model's {@link Gate}, then
 * the scheduler's lease on the model (which loads it, or waits for room), then its server ready, then the
 * {@link Route} to an endpoint. Whatever happens, what was taken is given back exactly once ({@link #release}); a
 * caller that gives up ({@link #cancel}) leaves the line it waits in.
 */
final class Admission {

    private final LlamaServerClient client;
    private final ModelServer server;
    private final ExchangeObserver.Exchange exchange;
    private final String caller;
    private final KeepAlive keepAlive;
    private final String conversation;
    private final Supplier<byte[]> body;
    private final boolean gated;
    private final CompletableFuture<Void> gone = new CompletableFuture<>();
    private volatile CompletableFuture<Gate.Permit> place;
    private volatile Gate.Permit permit;
    private volatile Lease lease;
    private volatile Route route;
    private volatile ConversationSlots.Placement placement = ConversationSlots.Placement.NONE;
    private boolean released;

    /**
     * @param request who asked (the gate's line takes callers in turn), and the keep-alive it asked for
     * @param body the request's JSON, read only when its route needs it (a pool's prefix affinity)
     * @param gated whether the request takes a place in the gate and a lease (requests do; the metrics bridge's own
     *        {@code GET /metrics} of a ready server does not)
     */
    Admission(LlamaServerClient client, ExchangeObserver.Exchange exchange, ExchangeObserver.Request request,
            Supplier<byte[]> body, boolean gated) {
        this.client = client;
        this.server = client.server();
        this.exchange = exchange;
        this.caller = request.caller();
        this.keepAlive = request.keepAlive();
        this.conversation = request.conversation();
        this.body = body;
        this.gated = gated;
    }

    /**
     * The endpoint this request goes to, once it is let in; failed with an {@link UpstreamException}: {@code BUSY}
     * when the gate's queue is full, {@code UNAVAILABLE} when the model cannot be had within {@code timeoutMs}; or
     * with a {@link CancellationException} when the caller gave up meanwhile.
     */
    CompletableFuture<Endpoint> enter(long timeoutMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        CompletableFuture<Void> in;
        if (gated) {
            CompletableFuture<Gate.Permit> p;
            try {
                p = client.gate().acquire(caller);
            } catch (Gate.Refused refused) {
                return CompletableFuture.failedFuture(busy(refused));
            }
            place = p;
            in = p.thenCompose(granted -> {
                permit = granted;
                if (gone.isDone()) {
                    throw new CancellationException("the caller gave up");
                }
                exchange.admitted();
                return leased(timeoutMs);
            });
        } else {
            in = CompletableFuture.completedFuture(null);
        }
        return in.thenCompose(v -> ready(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))))
                .thenApply(ready -> {
                    Route r = server.route(body);
                    synchronized (this) {
                        if (released) {
                            throw new CancellationException("the exchange ended while it was let in");
                        }
                        route = r;
                    }
                    Endpoint at = r.endpoint(ready);
                    if (at == null) {
                        throw new UpstreamException(UpstreamException.Kind.UNAVAILABLE, "no replica of model '"
                                + server.spec().displayName() + "' is in rotation (" + r.unavailable()
                                + "); check the replicas (" + server.spec().property("urls")
                                + "), or retry when one answers its probes again", null);
                    }
                    return at;
                }).thenCompose(this::placed);
    }

    /**
     * The request's body as it is sent: pinned to its conversation's slot ({@code id_slot}) when the model keeps
     * conversations ({@code kv-cache.per-conversation}).
     */
    Buffer body(Buffer original) {
        int slot = placement.slot();
        if (slot < 0 || original.length() < 2 || original.getByte(0) != '{') {
            return original;
        }
        String rest = original.getString(1, original.length()).stripLeading();
        return Buffer.buffer("{\"id_slot\":" + slot + (rest.startsWith("}") ? "" : ",")).appendString(rest);
    }

    /** With {@code kv-cache.per-conversation}: the conversation's slot at {@code at}, its cache moved there. */
    private CompletableFuture<Endpoint> placed(Endpoint at) {
        Optional<ConversationSlots> slots = gated ? server.hibernator().flatMap(Hibernator::conversations)
                : Optional.empty();
        String key = slots.isEmpty() ? null
                : conversation != null ? "named:" + conversation : Prefixes.conversation(body.get());
        if (key == null) {
            return CompletableFuture.completedFuture(at);
        }
        return slots.get().place(at, key).thenApply(p -> {
            synchronized (this) {
                if (released) {
                    p.release().run();
                    throw new CancellationException("the exchange ended while its conversation's slot was made ready");
                }
                placement = p;
            }
            return at;
        });
    }

    /** Whether the caller still waits for a place in the gate. */
    boolean queued() {
        CompletableFuture<Gate.Permit> p = place;
        return p != null && !p.isDone();
    }

    /** The route, once let in (null before). */
    Route route() {
        return route;
    }

    /** The caller gave up: leave the gate's queue or the scheduler's line. */
    void cancel() {
        gone.cancel(false);
        CompletableFuture<Gate.Permit> p = place;
        if (p != null) {
            p.cancel(false);
        }
    }

    /** Gives back the route, the lease and the place, once, whatever happened. */
    void release() {
        Route r;
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
            r = route;
        }
        if (r != null) {
            r.release();
        }
        placement.release().run();
        Lease l = lease;
        if (l != null) {
            l.release();
        }
        Gate.Permit held = permit;
        if (held != null) {
            held.release();
        }
    }

    /** The scheduler's lease on the model (it loads it, or waits for room), when the model is scheduled. */
    private CompletableFuture<Void> leased(long timeoutMs) {
        Scheduler scheduler = client.scheduler();
        if (scheduler == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Lease> acquiring = scheduler.acquire(server.name(), keepAlive, Duration.ofMillis(timeoutMs));
        gone.whenComplete((x, e) -> acquiring.cancel(false));
        return acquiring.handle((l, err) -> {
            if (err != null) {
                Throwable cause = err instanceof CompletionException ? err.getCause() : err;
                if (cause instanceof CancellationException c) {
                    throw c;
                }
                String why = cause instanceof WaitTimeoutException
                        ? cause.getMessage() + "; retry, or raise the request timeout"
                        : cause.getMessage();
                throw new UpstreamException(UpstreamException.Kind.UNAVAILABLE, why, cause);
            }
            synchronized (this) {
                if (released) {
                    l.release();
                    throw new CancellationException("the exchange ended while the model loaded");
                }
                lease = l;
            }
            return null;
        });
    }

    /** The server's endpoint once it is ready. */
    private CompletableFuture<Endpoint> ready(long timeoutMs) {
        return server.awaitReady(gated && client.scheduler() == null && client.startIfStopped())
                .orTimeout(timeoutMs, TimeUnit.MILLISECONDS).handle((e, err) -> {
                    if (err == null) {
                        return e;
                    }
                    Throwable cause = err instanceof CompletionException ? err.getCause() : err;
                    if (cause instanceof TimeoutException) {
                        throw new UpstreamException(UpstreamException.Kind.UNAVAILABLE, "llama-server '"
                                + server.spec().displayName() + "' was not ready within " + timeoutMs + " ms ("
                                + server.state().name().toLowerCase() + ": " + server.reason() + "); a large model may"
                                + " load for longer: retry, or raise the request timeout", null);
                    }
                    throw new UpstreamException(UpstreamException.Kind.UNAVAILABLE, cause.getMessage(), cause);
                });
    }

    private UpstreamException busy(Gate.Refused refused) {
        Gate gate = client.gate();
        String why = switch (refused.reason()) {
            case QUEUE_FULL -> "model '" + server.spec().alias() + "' is busy: " + refused.inFlight()
                    + " requests at llama-server and " + refused.queued() + " waiting ("
                    + server.spec().property("max-queue") + "=" + gate.maxQueue() + "); retry shortly";
            case CALLER_QUEUE_FULL -> "caller '" + caller + "' has " + refused.inFlight() + " requests at model '"
                    + server.spec().alias() + "' and " + refused.queued() + " waiting, its limit ("
                    + server.spec().property("caller-max-queue") + "=" + gate.callerMaxQueue()
                    + (gate.callerMaxInFlight() > 0 ? ", " + server.spec().property("caller-max-in-flight") + "="
                            + gate.callerMaxInFlight() : "")
                    + "); retry when one of them has ended";
        };
        return new UpstreamException(UpstreamException.Kind.BUSY, why, null);
    }
}
