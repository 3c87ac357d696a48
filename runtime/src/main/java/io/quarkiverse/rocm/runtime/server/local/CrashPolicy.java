package io.quarkiverse.rocm.runtime.server.local;

import java.time.Duration;
import java.util.Optional;

import io.quarkiverse.rocm.runtime.spec.ServerSpec;

/**
 * When to restart a llama-server that went away ({@code quarkus.rocm.restart.*}): a crash of a ready server is
 * restarted at once, unless the server keeps crashing soon after becoming ready (a crash loop), which backs off,
 * doubling up to the maximum; a start that fails after the model had loaded once is retried with backoff, up to the
 * attempts allowed. Not thread-safe: the server calls it under its lock.
 */
final class CrashPolicy {

    private final ServerSpec.RestartPolicy policy;
    private int failedAttempts;
    private int quickCrashes;

    CrashPolicy(ServerSpec.RestartPolicy policy) {
        this.policy = policy;
    }

    boolean enabled() {
        return policy.enabled();
    }

    /** A new start asked for (not a restart): forget the failures so far. */
    void reset() {
        failedAttempts = 0;
    }

    /** The server became ready. */
    void ready() {
        failedAttempts = 0;
    }

    /**
     * A ready server crashed: the wait before restarting it. A restarted server that crashes again within
     * {@code max-backoff} of being ready is in a crash loop and waits longer each time.
     *
     * @param restarts crashes followed by a restart so far, this one included
     * @param readyForNanos how long it had been ready
     */
    Duration afterCrash(int restarts, long readyForNanos) {
        boolean quick = restarts > 1 && readyForNanos < policy.maxBackoff().toNanos();
        quickCrashes = quick ? quickCrashes + 1 : 0;
        return quickCrashes == 0 ? Duration.ZERO : policy.backoff(quickCrashes);
    }

    /** Crashes in a row that came soon after a restart. */
    int quickCrashes() {
        return quickCrashes;
    }

    /** A start failed: the wait before the next attempt, or empty to give up (it never loaded, or too many tries). */
    Optional<Duration> afterFailedStart(boolean everReady) {
        if (everReady && policy.enabled() && ++failedAttempts < policy.maxAttempts()) {
            return Optional.of(policy.backoff(failedAttempts));
        }
        return Optional.empty();
    }

    /** The attempt that comes next (1-based). */
    int nextAttempt() {
        return failedAttempts + 1;
    }

    int maxAttempts() {
        return policy.maxAttempts();
    }
}
