package io.quarkiverse.rocm.runtime.server.pool;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.quarkiverse.rocm.runtime.server.Endpoint;
import io.quarkiverse.rocm.runtime.server.Route;

/**
 * The replica one request goes to, chosen by its pool with the request's body (its conversation's prefix), holding
 * that replica's in-flight count until the exchange ends. A replica that refuses the connection before anything was
 * sent is taken out of rotation and the request goes to another, while one is left; one whose connection breaks
 * during the request leaves the rotation too.
 */
final class PoolRoute implements Route {

    private final ReplicaPool pool;
    private final Supplier<byte[]> request;
    private byte[] body;
    private Replica current;
    private boolean released;
    private Runnable unwatch;

    PoolRoute(ReplicaPool pool, Supplier<byte[]> request) {
        this.pool = pool;
        this.request = request;
    }

    /** The request's JSON, read once, when a replica is first chosen. */
    private byte[] body() {
        if (body == null) {
            body = request.get();
        }
        return body;
    }

    @Override
    public synchronized Endpoint endpoint(Endpoint ready) {
        if (current == null && !released) {
            current = pool.choose(body());
        }
        return current == null ? null : current.endpoint();
    }

    @Override
    public synchronized Endpoint next(Throwable refused) {
        if (current == null || released) {
            return null;
        }
        unwatch();
        pool.failed(current, "connection failed: " + describe(refused));
        pool.release(current);
        current = pool.choose(body());
        return current == null ? null : current.endpoint();
    }

    @Override
    public synchronized void release() {
        if (!released && current != null) {
            pool.release(current);
        }
        released = true;
        unwatch();
    }

    /**
     * If the replica leaves the rotation meanwhile (its probe got no answer: a dead link sends no reset),
     * {@code abort} ends the request now rather than at its idle timeout, and its error says why the replica left.
     */
    @Override
    public synchronized void watch(Runnable abort) {
        unwatch();
        Replica r = current;
        if (r != null && !released) {
            unwatch = r.onEjection(abort);
        }
    }

    private void unwatch() {
        if (unwatch != null) {
            unwatch.run();
            unwatch = null;
        }
    }

    /**
     * The replica leaves the rotation at once (its probes bring it back), and the caller learns that a retry goes to
     * the others.
     */
    @Override
    public CompletableFuture<String> lost(Endpoint endpoint, Throwable broken) {
        Replica r = pool.replica(endpoint);
        String why;
        if (r != null && !r.inRotation()) { // already taken out, which cut this request: say why it was
            why = "it was taken out of rotation: " + r.problem();
        } else {
            why = describe(broken);
            if (r != null) {
                pool.failed(r, "its connection broke during a request (" + why + ")");
            }
        }
        int left = pool.inRotation();
        return CompletableFuture.completedFuture(endpoint.describe(pool.model()) + " went away during the request ("
                + why + "); it is out of rotation until it answers its probes again, "
                + (left > 0 ? "and a retry goes to the other " + left + " in rotation"
                        : "and no replica is in rotation now: " + pool.problems()));
    }

    @Override
    public String unavailable() {
        return pool.problems();
    }

    /** A transport failure in a few words: its message, or its type. */
    static String describe(Throwable e) {
        Throwable t = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
