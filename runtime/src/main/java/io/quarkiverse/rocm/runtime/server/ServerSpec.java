package io.quarkiverse.rocm.runtime.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.quarkiverse.rocm.runtime.config.RocmRuntimeConfig;
import io.quarkiverse.rocm.runtime.gguf.GgufMetadata;
import io.quarkiverse.rocm.runtime.gpu.GpuDevice;
import io.quarkiverse.rocm.runtime.process.CommandLine;

/**
 * Everything needed to run one model's llama-server, resolved and validated from configuration. Two equal specs run
 * the same server, which is how dev mode knows it may keep a server across a live reload.
 *
 * @param name the model's configuration name ({@value RocmRuntimeConfig#DEFAULT_MODEL} for the default one)
 * @param alias the model's name in the API
 * @param command the llama-server binary and the arguments from configuration
 * @param binaryVersion the binary's version
 * @param model the GGUF file's metadata
 * @param contextSize tokens per request (per slot)
 * @param parallel slots
 * @param environment added to the JVM's environment
 * @param port the port to listen on, 0 for a free one
 * @param embeddings whether the server serves embeddings only
 * @param startupTimeout how long a start may go without progress
 * @param stopTimeout grace period between SIGTERM and SIGKILL
 * @param restart restart policy
 * @param canaryInterval how often a ready server is probed with {@code GET /slots}
 * @param canaryTimeout how long the probe may take
 * @param gpus the AMD GPUs the server may use
 * @param plannedBytes the memory it needs, estimated from the GGUF (weights, KV cache, headroom)
 * @param policy when the scheduler may unload it
 * @param rpcWorkers the llama.cpp RPC workers holding part of the model (none for most)
 * @param pool the remote llama-servers serving the model ({@code urls}), or null when this application starts it
 *        (a remote model has no command, binary or GGUF file)
 */
public record ServerSpec(String name, String alias, CommandLine command, String binaryVersion, GgufMetadata model,
        int contextSize, int parallel, Map<String, String> environment, int port,
        boolean embeddings, Duration startupTimeout, Duration stopTimeout, RestartPolicy restart,
        Duration canaryInterval, Duration canaryTimeout, List<GpuDevice> gpus, long plannedBytes,
        Scheduler.Policy policy, RpcWorkers rpcWorkers, PoolSpec pool) {

    /** @param maxAttempts failed restarts in a row before giving up */
    public record RestartPolicy(boolean enabled, int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

        /** The wait before restart attempt {@code n} (1-based): doubling, capped. */
        public Duration backoff(int n) {
            long ms = initialBackoff.toMillis() << Math.min(Math.max(n - 1, 0), 20);
            return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
        }
    }

    /** The llama-server binary. */
    public Path binary() {
        return command == null ? null : command.binary();
    }

    /** Whether remote llama-servers serve this model ({@code urls}). */
    public boolean remote() {
        return pool != null;
    }

    /** The arguments from configuration (the listening address and the key are added at each launch). */
    public List<String> arguments() {
        return command == null ? List.of() : command.modelArguments();
    }

    /** The full name of one of this model's properties, for error messages. */
    public String property(String key) {
        return property(name, key);
    }

    /** {@code quarkus.rocm.KEY} for the default model, {@code quarkus.rocm."NAME".KEY} for named ones. */
    public static String property(String modelName, String key) {
        return RocmRuntimeConfig.DEFAULT_MODEL.equals(modelName) ? "quarkus.rocm." + key
                : "quarkus.rocm." + (modelName.matches("[a-zA-Z0-9-_]+") ? modelName : "\"" + modelName + "\"") + "."
                        + key;
    }

    /** How logs name the model. */
    public String displayName() {
        return RocmRuntimeConfig.DEFAULT_MODEL.equals(name) ? alias : name;
    }
}
