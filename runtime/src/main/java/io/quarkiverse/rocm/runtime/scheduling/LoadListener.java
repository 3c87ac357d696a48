package io.quarkiverse.rocm.runtime.scheduling;

import java.time.Duration;

/** Sees the {@link Scheduler}'s loads and unloads from the moment it is added (logs, tests). Called without the lock. */
public interface LoadListener {
    default void loaded(String model, Duration took, long bytes) {
    }

    default void unloaded(String model, UnloadReason reason) {
    }
}
