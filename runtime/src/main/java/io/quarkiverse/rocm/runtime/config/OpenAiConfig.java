package io.quarkiverse.rocm.runtime.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.WithDefault;

/** The OpenAI-compatible API ({@code quarkus.rocm.openai.enabled=true} at build time). */
public interface OpenAiConfig {

    /**
     * API keys the OpenAI-compatible API accepts as {@code Authorization: Bearer <key>}. Unset: no key is required
     * (put the API behind your own security, or on a private network).
     */
    Optional<List<String>> apiKeys();

    /**
     * The largest request body accepted; bigger ones get 413.
     */
    @WithDefault("8M")
    MemorySize maxBodySize();

    /**
     * The longest wait for a whole answer, or, streaming, between two pieces of it (the wait for a starting or
     * queued model included); then 504.
     */
    @WithDefault("5m")
    Duration timeout();
}
