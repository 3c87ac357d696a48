package io.quarkiverse.rocm.runtime.scheduling;

import java.time.Duration;

/**
 * How long a model stays loaded once idle, as one request asked (Ollama's {@code keep_alive}): from when its last
 * request ends, until a request that asks otherwise (or asks nothing: then the model's configured
 * {@code keep-alive} again). A pinned model stays pinned.
 *
 * @param duration the idle time before the unload ({@link Duration#ZERO}: as soon as it is idle); null: none, the
 *        model stays until evicted for room or unloaded by an operator
 */
public record KeepAlive(Duration duration) {

    public static final KeepAlive FOREVER = new KeepAlive(null);

    public KeepAlive {
        if (duration != null && duration.isNegative()) {
            throw new IllegalArgumentException("a keep-alive cannot be negative: " + duration);
        }
    }
}
