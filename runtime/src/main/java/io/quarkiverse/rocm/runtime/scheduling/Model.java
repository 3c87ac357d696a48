package io.quarkiverse.rocm.runtime.scheduling;

import java.util.concurrent.CompletableFuture;

/** What the scheduler needs of one model's server. */
public interface Model {
    String name();

    /** Starts the server; completes when it is ready (fails when it cannot start). */
    CompletableFuture<?> load();

    /** Stops the server and waits for its process to exit. */
    void unload();

    /** Whether the server is ready to serve now. */
    boolean loaded();

    /** Memory the server needs: measured the last time it was loaded, else estimated from the GGUF. */
    long bytes();

    /** Called once a load completed: measure what the server really uses. */
    default void measure() {
    }
}
