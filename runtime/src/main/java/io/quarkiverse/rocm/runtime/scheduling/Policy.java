package io.quarkiverse.rocm.runtime.scheduling;

import java.time.Duration;

/**
 * When the {@link Scheduler} may unload a model.
 *
 * @param keepAlive idle time after the last request ends before the server is stopped; null: forever
 * @param pinned never unloaded by policy
 */
public record Policy(Duration keepAlive, boolean pinned) {
    public static final Policy FOREVER = new Policy(null, false);
}
