package io.quarkiverse.rocm.runtime.config;

import io.smallrye.config.WithDefault;

/** Ollama's API ({@code quarkus.rocm.ollama.enabled=true} at build time). */
public interface OllamaConfig {

    /** Who may change how long a model stays loaded. */
    enum KeepAliveFrom {
        /** Identities with the {@code operator-role} (the operators' keys): others' {@code keep_alive} is ignored. */
        OPERATORS,
        /** Every caller the API lets in: anonymous ones too when the API has no keys. */
        CALLERS,
        /** Nobody: the models' {@code keep-alive} alone decides. */
        NOBODY
    }

    /**
     * Whose {@code keep_alive} (in {@code /api/chat}, {@code /api/generate}, {@code /api/embed}) is honored: it keeps
     * a scheduled model loaded for that long once idle ({@code 0}: unloaded at once; negative: until evicted or
     * unloaded), and {@code /api/generate} with no prompt and {@code keep_alive} 0 unloads a model, as in Ollama. It
     * changes what runs for everyone, so by default only operators may. A pinned model stays pinned; a pool of remote
     * llama-servers is not this application's to unload.
     */
    @WithDefault("operators")
    KeepAliveFrom keepAliveFrom();
}
