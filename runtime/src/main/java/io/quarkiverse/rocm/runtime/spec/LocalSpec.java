package io.quarkiverse.rocm.runtime.spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quarkiverse.rocm.runtime.config.RocmRuntimeConfig;
import io.quarkiverse.rocm.runtime.gguf.GgufMetadata;
import io.quarkiverse.rocm.runtime.gpu.GpuDevice;
import io.quarkiverse.rocm.runtime.hibernation.SlotCaches;
import io.quarkiverse.rocm.runtime.process.CommandLine;
import io.quarkiverse.rocm.runtime.rpc.RpcWorkers;
import io.quarkiverse.rocm.runtime.scheduling.Policy;

/**
 * Everything needed to run one model's llama-server, resolved and validated from configuration.
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
 * @param reranking whether the server ranks documents only ({@code --reranking})
 * @param startupTimeout how long a start may go without progress
 * @param stopTimeout grace period between SIGTERM and SIGKILL
 * @param restart restart policy
 * @param canaryInterval how often a ready server is probed with {@code GET /slots}
 * @param canaryTimeout how long the probe may take
 * @param gpus the AMD GPUs the server may use
 * @param plannedBytes the memory it needs, estimated from the GGUF (weights, KV cache, headroom)
 * @param policy when the scheduler may unload it
 * @param rpcWorkers the llama.cpp RPC workers holding part of the model (none for most)
 * @param unixSocket whether it listens on a Unix domain socket rather than a loopback port
 * @param adapters its LoRA adapters
 * @param projector its multimodal projector, if it reads images
 * @param slotCaches where its slots' prompt caches are saved while it is not loaded, if they are ({@code kv-cache.hibernate})
 */
public record LocalSpec(String name, String alias, CommandLine command, String binaryVersion, GgufMetadata model,
        int contextSize, int parallel, Map<String, String> environment, int port,
        boolean embeddings, boolean reranking, Duration startupTimeout, Duration stopTimeout, RestartPolicy restart,
        Duration canaryInterval, Duration canaryTimeout, List<GpuDevice> gpus, long plannedBytes,
        Policy policy, RpcWorkers rpcWorkers, boolean unixSocket, Adapters adapters,
        Optional<Path> projector, Optional<SlotCaches> slotCaches) implements LoadableSpec {

    /** The llama-server binary. */
    public Path binary() {
        return command.binary();
    }

    /** The arguments from configuration (the listening address and the key are added at each launch). */
    public List<String> arguments() {
        return command.modelArguments();
    }
}
