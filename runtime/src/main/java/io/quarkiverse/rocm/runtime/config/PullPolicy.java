package io.quarkiverse.rocm.runtime.config;

/** When a model named by its Hugging Face repository is downloaded. */
public enum PullPolicy {
    /** When the cache does not hold it (the hub is not asked otherwise). */
    WHEN_MISSING,
    /** At each application start the hub is asked for the revision's commit; a new one is downloaded. */
    ALWAYS,
    /** Never: only the cache is used, and a model missing from it is a start error. */
    NEVER
}
