package io.quarkiverse.rocm.runtime.config;

import java.time.Duration;

import io.smallrye.config.WithDefault;

/** Micrometer metrics (when {@code quarkus-micrometer} is present). */
public interface MetricsConfig {

    /**
     * How often llama-server's own Prometheus metrics ({@code llamacpp:*}) are read and bridged into the application's
     * registry.
     */
    @WithDefault("10s")
    Duration llamaServerInterval();

    /**
     * Whether requests, tokens and queue wait are also counted per caller, tagged with the caller's name (an API key's
     * {@code api-key-1}, an authenticated principal's, {@code application} for the application's own chat model,
     * {@code anonymous}). Off by default: every caller adds time series.
     */
    @WithDefault("false")
    boolean callerTag();
}
