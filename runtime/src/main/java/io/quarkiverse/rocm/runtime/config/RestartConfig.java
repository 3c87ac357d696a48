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
     * The wait before restarting a server that exited before becoming ready, or that crashed again within
     * {@code max-backoff} of becoming ready (a crash loop); it doubles with each further such exit, up to
     * {@code max-backoff}. A crash after a longer healthy run is restarted at once.
     */
    @WithDefault("500ms")
    Duration initialBackoff();

    /**
     * The longest wait between two restarts; also how long a restarted server must stay up for its next crash to be
     * restarted at once again.
     */
    @WithDefault("30s")
    Duration maxBackoff();
}
