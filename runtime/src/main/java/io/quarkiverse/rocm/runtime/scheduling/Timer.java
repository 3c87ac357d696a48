package io.quarkiverse.rocm.runtime.scheduling;

import java.time.Duration;

/** Runs a task of the {@link Scheduler} after a delay; the returned handle cancels it. */
public interface Timer {
    Runnable schedule(Runnable task, Duration delay);
}
