package io.quarkiverse.rocm.runtime.server;

import java.util.concurrent.CompletableFuture;

/**
 * Where one request goes, for as long as its exchange lasts: the endpoint of the model's ready server, or the replica
 * its pool chose (whose in-flight count it holds until {@link #release}). A request asks its route, never which kind
 * of server it has.
 */
public interface Route {

    /** The endpoint to send to, given the server's ready one; null when there is none (no replica in rotation). */
    Endpoint endpoint(Endpoint ready);

    /**
     * The connection to the chosen endpoint could not be made (nothing was sent): the endpoint to try instead, or
     * null when there is none.
     */
    Endpoint next(Throwable refused);

    /**
     * The request is on its way: {@code abort} ends it at once should its endpoint be taken out of use before it ends
     * (a dead link sends no reset).
     */
    void watch(Runnable abort);

    /** The exchange ended. Idempotent. */
    void release();

    /**
     * The connection broke during the request: what happened to the server behind it, as the request's error says
     * it: for a local server once its process exit is known (up to a second), for a replica at once (it leaves the
     * rotation, and the message says where a retry goes).
     */
    CompletableFuture<String> lost(Endpoint endpoint, Throwable broken);

    /** Why there is no endpoint, when {@link #endpoint} gave none. */
    String unavailable();
}
