package io.quarkiverse.rocm.runtime.client;

import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.Replica;
import io.quarkiverse.rocm.runtime.server.ReplicaPool;

/**
 * Where one request goes: the local server's endpoint, or the replica its pool chose, holding that replica's
 * in-flight count until the exchange ends. A replica that refuses the connection before anything was sent is taken
 * out of rotation and the request goes to another, while one is left.
 */
final class Route {

    private final ReplicaPool pool;
    private final byte[] body;
    private Replica current;
    private boolean released;
    private Runnable unwatch;

    private Route(ReplicaPool pool, byte[] body) {
        this.pool = pool;
        this.body = body;
    }

    /** The route of a request to a local server: the endpoint it has now. */
    static Route local() {
        return new Route(null, null);
    }

    /** A route through {@code pool}, chosen with the request's {@code body} (its conversation's prefix). */
    static Route through(ReplicaPool pool, byte[] body) {
        return new Route(pool, body);
    }

    boolean remote() {
        return pool != null;
    }

    /**
     * The endpoint to send to: {@code ready} for a local server, else a replica in rotation; null when the pool has
     * none left.
     */
    synchronized ModelServer.Endpoint endpoint(ModelServer.Endpoint ready) {
        if (pool == null) {
            return ready;
        }
        if (current == null && !released) {
            current = pool.choose(body);
        }
        return current == null ? null : endpointOf(current);
    }

    /**
     * The connection to the chosen replica could not be made (nothing was sent): it leaves the rotation, and the
     * next replica is chosen. Returns its endpoint, or null when none is left (or this is a local server).
     */
    synchronized ModelServer.Endpoint next(Throwable refused) {
        if (pool == null || current == null || released) {
            return null;
        }
        unwatch();
        pool.failed(current, "connection failed: " + UpstreamErrors.describe(refused));
        pool.release(current);
        current = pool.choose(body);
        return current == null ? null : endpointOf(current);
    }

    /** The exchange ended: the replica's in-flight count goes down. Idempotent. */
    synchronized void release() {
        if (!released && current != null) {
            pool.release(current);
        }
        released = true;
        unwatch();
    }

    /**
     * The request is on its way to the chosen replica: if the replica leaves the rotation meanwhile (its probe got no
     * answer: a dead link sends no reset), {@code abort} ends the request now rather than at its idle timeout, and
     * its error says why the replica left. Nothing for a local server, whose process exit ends its connections.
     */
    synchronized void watch(Runnable abort) {
        unwatch();
        Replica r = current;
        if (pool != null && r != null && !released) {
            unwatch = r.onEjection(abort);
        }
    }

    private void unwatch() {
        if (unwatch != null) {
            unwatch.run();
            unwatch = null;
        }
    }

    /** What is out of rotation, for the message of a request that found no replica. */
    String problems() {
        return pool == null ? "" : pool.problems();
    }

    private static ModelServer.Endpoint endpointOf(Replica r) {
        return r.endpoint();
    }
}
