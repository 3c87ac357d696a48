package io.quarkiverse.rocm.runtime.config;

import java.time.Duration;

import io.smallrye.config.WithDefault;

/**
 * The canary: a cheap request ({@code GET /slots}, answered by llama-server's main loop) that proves the server
 * still works, not only that its process exists. A stopped, deadlocked or wedged server fails it.
 */
public interface CanaryConfig {

    /**
     * How often the canary request is sent to a ready server.
     */
    @WithDefault("10s")
    Duration interval();

    /**
     * How long the canary may take before the server counts as not alive.
     */
    @WithDefault("5s")
    Duration timeout();
}
