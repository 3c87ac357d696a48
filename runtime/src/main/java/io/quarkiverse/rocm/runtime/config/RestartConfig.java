package io.quarkiverse.rocm.runtime.config;

import java.time.Duration;

import io.smallrye.config.WithDefault;

/** Restarting llama-server after a crash. */
public interface RestartConfig {

    /**
     * Whether a llama-server that exits unexpectedly is started again.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * How many restarts in a row may fail (exit before becoming ready) before the model is marked failed.
     */
    @WithDefault("5")
    int maxAttempts();

    /**
     * The wait before the first restart; it doubles with each failed attempt up to {@code max-backoff}.
     */
    @WithDefault("500ms")
    Duration initialBackoff();

    /**
     * The longest wait between two restarts.
     */
    @WithDefault("30s")
    Duration maxBackoff();
}
