package io.quarkiverse.rocm.runtime.config;

import java.nio.file.Path;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.WithDefault;

/** Where the prompt caches of models with {@code kv-cache.hibernate} are kept while they are not loaded. */
public interface HibernationConfig {

    /** The directory of the saved prompt caches, a folder per model; it survives application restarts. */
    @WithDefault("${XDG_CACHE_HOME:${user.home}/.cache}/quarkus-rocm/kv-cache")
    Path dir();

    /**
     * The most disk the saved prompt caches of all models may take together; past it the least recently saved or
     * restored ones are deleted first.
     */
    @WithDefault("20G")
    MemorySize maxDisk();
}
