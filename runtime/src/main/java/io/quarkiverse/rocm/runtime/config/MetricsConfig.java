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
}
