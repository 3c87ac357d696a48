package io.quarkiverse.rocm.runtime.scheduling;

import java.util.concurrent.CompletableFuture;

/**
 * A model's place in the {@link Scheduler}: whether it is loaded, loading, unloading or draining, who uses it, its
 * idle timer, and how many loads and unloads it had (what the metrics count). Guarded by the scheduler's lock, but
 * for the counts, which are read without it.
 */
final class Entry {
    final Model model;
    final Policy policy;
    boolean loaded;
    CompletableFuture<?> loading;
    boolean loadAskedByPolicy;
    boolean unloading;
    boolean draining;
    /** The first arrival that counts against the fairness bound: requests queued earlier joined its load. */
    long drainSeq;
    int drainAdmitted;
    int busy;
    long lastUsed;
    long loadStarted;
    Runnable idleTimer;
    /** Which idle timer is the current one: a cancelled timer's task may still run, and must then do nothing. */
    long idleTimers;
    long unloadAt = -1;
    /** The keep-alive its latest ask asked for (the {@code askedBy}-th of its {@code asks}); null: the policy's. */
    KeepAlive asked;
    long asks;
    long askedBy;
    Throwable failure;
    // counts, written under the lock, read by metrics without it
    volatile long loads;
    volatile long loadNanos;
    final long[] unloads = new long[UnloadReason.values().length];

    Entry(Model model, Policy policy) {
        this.model = model;
        this.policy = policy;
    }

    boolean holdsRoom() {
        return loaded || loading != null || unloading;
    }

    /** The idle time before its unload: its last request's, or the configured; null: none. */
    java.time.Duration keepAlive() {
        return asked != null ? asked.duration() : policy.keepAlive();
    }

    String name() {
        return model.name();
    }
}
