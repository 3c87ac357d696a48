package io.quarkiverse.rocm.runtime.spec;

import java.time.Duration;

import io.quarkiverse.rocm.runtime.config.RocmRuntimeConfig;

/**
 * One model's server, resolved and validated from configuration: a llama-server this application runs
 * ({@link LocalSpec}, or {@link PullSpec} before its file is pulled) or remote replicas it fronts
 * ({@link RemoteSpec}). Two equal specs serve the same way, which is
 * how dev mode knows it may keep a server across a live reload.
 */
public sealed interface ServerSpec permits LoadableSpec, RemoteSpec {

    /** @param maxAttempts failed restarts in a row before giving up */
    record RestartPolicy(boolean enabled, int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

        /** The wait before restart attempt {@code n} (1-based): doubling, capped. */
        public Duration backoff(int n) {
            long ms = initialBackoff.toMillis() << Math.min(Math.max(n - 1, 0), 20);
            return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
        }
    }

    /** The model's configuration name ({@value RocmRuntimeConfig#DEFAULT_MODEL} for the default one). */
    String name();

    /** The model's name in the API. */
    String alias();

    /** Tokens per request (per slot); 0 when not known. */
    int contextSize();

    /** Requests served at once. */
    int parallel();

    /** Whether it serves embeddings. */
    boolean embeddings();

    /** Whether it ranks documents against a query ({@code /v1/rerank}) and serves nothing else. */
    boolean reranking();

    /** Its LoRA adapters, each a model of its own to callers (none for remote replicas). */
    default Adapters adapters() {
        return Adapters.NONE;
    }

    /** Its multimodal projector, if it reads images (known for a local file; remote replicas say in their /props). */
    default java.util.Optional<java.nio.file.Path> projector() {
        return java.util.Optional.empty();
    }

    /** How long a start may go without progress. */
    Duration startupTimeout();

    /** Grace period between SIGTERM and SIGKILL. */
    Duration stopTimeout();

    /** Restart policy (for replicas: the backoff of their probes). */
    RestartPolicy restart();

    /** How often a ready server is probed with {@code GET /slots}. */
    Duration canaryInterval();

    /** How long that probe may take. */
    Duration canaryTimeout();

    /** The full name of one of this model's properties, for error messages. */
    default String property(String key) {
        return property(name(), key);
    }

    /** {@code quarkus.rocm.KEY} for the default model, {@code quarkus.rocm."NAME".KEY} for named ones. */
    static String property(String modelName, String key) {
        return RocmRuntimeConfig.DEFAULT_MODEL.equals(modelName) ? "quarkus.rocm." + key
                : "quarkus.rocm." + (modelName.matches("[a-zA-Z0-9-_]+") ? modelName : "\"" + modelName + "\"") + "."
                        + key;
    }

    /** How logs name the model. */
    default String displayName() {
        return RocmRuntimeConfig.DEFAULT_MODEL.equals(name()) ? alias() : name();
    }
}
