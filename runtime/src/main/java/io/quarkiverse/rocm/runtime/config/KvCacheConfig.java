package io.quarkiverse.rocm.runtime.config;

import io.smallrye.config.WithDefault;

/** A model's prompt cache (its slots' KV cache). */
public interface KvCacheConfig {

    /**
     * Save the prompt caches of the model's slots before its llama-server is stopped on purpose (an idle unload, an
     * eviction, an operator's unload, the application's stop) and restore them when it starts again, before it serves
     * its first request, so that a conversation's next turn finds its prefix cached instead of evaluating the whole
     * prompt again. Files go to {@code quarkus.rocm.hibernation.dir}; they are restored only into the same model
     * started the same way (its file, flags, context, slots, adapters, projector and the llama.cpp build). A crash
     * restores what was saved at the last planned stop.
     */
    @WithDefault("false")
    boolean hibernate();
}
