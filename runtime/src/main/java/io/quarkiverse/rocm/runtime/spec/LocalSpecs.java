package io.quarkiverse.rocm.runtime.spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.quarkiverse.rocm.runtime.config.GpuConfig;
import io.quarkiverse.rocm.runtime.config.ModelConfig;
import io.quarkiverse.rocm.runtime.config.RocmRuntimeConfig;
import io.quarkiverse.rocm.runtime.gguf.GgufException;
import io.quarkiverse.rocm.runtime.gguf.GgufMetadata;
import io.quarkiverse.rocm.runtime.gguf.GgufReader;
import io.quarkiverse.rocm.runtime.gpu.GpuDevice;
import io.quarkiverse.rocm.runtime.gpu.GpuSelection;
import io.quarkiverse.rocm.runtime.gpu.VramPreflight;
import io.quarkiverse.rocm.runtime.hibernation.SlotCaches;
import io.quarkiverse.rocm.runtime.process.BinaryLocator;
import io.quarkiverse.rocm.runtime.process.CommandLine;
import io.quarkiverse.rocm.runtime.rpc.RpcWorkers;
import io.quarkiverse.rocm.runtime.scheduling.Policy;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * The spec of a model this application runs, checked before anything is spawned: its file is a GGUF model, its
 * context is planned from the GGUF header, its GPU is chosen and its size checked against the free VRAM, its RPC
 * workers can be used by the binary. Every error names the property to change.
 */
final class LocalSpecs {

    private static final Logger LOG = Logger.getLogger(LocalSpecs.class);
    /** {@code general.name} of the built-in test model. */
    static final String TINY_MODEL_NAME = "tiny-llama-scripted";

    private LocalSpecs() {
    }

    /** @param unixSockets whether the application can reach a llama-server on a Unix domain socket */
    /** @param found the model's files when they were found (models-dir, the hub's cache); null: as configured */
    static LocalSpec of(RocmRuntimeConfig config, String name, ModelConfig m, ModelFiles found, Path binary,
            String version, List<GpuDevice> gpus, Map<String, String> env, boolean unixSockets,
            io.quarkiverse.rocm.runtime.hub.Puller puller) {
        ModelFiles files = found != null ? found : ModelFiles.beside(ModelCatalog.modelFile(name, m));
        Path file = files.model();
        GgufMetadata meta;
        try {
            meta = GgufReader.read(file);
        } catch (GgufException e) {
            String fix = e.getMessage().contains("truncated")
                    ? " It looks like a partial download: download it again (compare its size with the published one)."
                    : " Point it at a GGUF model file.";
            throw new ConfigurationException("Cannot use the model of " + ModelCatalog.modelProperty(name, m) + ": "
                    + e.getMessage() + "." + fix, e);
        }
        if (meta.tensorCount() == 0) {
            throw new ConfigurationException("Cannot use the model of " + ModelCatalog.modelProperty(name, m) + ": " + file
                    + " has no tensors: it is a vocabulary-only GGUF (like llama.cpp's ggml-vocab-*.gguf), not a model."
                    + " Point it at the model's weights file.");
        }
        if (TINY_MODEL_NAME.equals(meta.name().orElse(""))) {
            LOG.warnf("Model '%s' is the built-in tiny test model (%s): it answers every question with the same"
                    + " sentence. Set %s to a real GGUF model.", ModelCatalog.displayName(name, m), file,
                    ServerSpec.property(name, "model.path"));
        }
        long trained = meta.contextLength().orElse(ServerSpecs.DEFAULT_CONTEXT_CAP);
        int ctx;
        if (m.contextSize().isPresent()) {
            ctx = m.contextSize().getAsInt();
            if (ctx <= 0) {
                throw new ConfigurationException(ServerSpec.property(name, "context-size") + "=" + ctx
                        + " must be positive (or unset for the model's, capped at " + ServerSpecs.DEFAULT_CONTEXT_CAP + ").");
            }
            if (ctx > trained) {
                LOG.warnf("%s=%d is more than the %d tokens model '%s' was trained for: answers degrade past it.",
                        ServerSpec.property(name, "context-size"), ctx, trained, ModelCatalog.displayName(name, m));
            }
        } else {
            ctx = (int) Math.min(trained, ServerSpecs.DEFAULT_CONTEXT_CAP);
        }
        if (m.embeddings() && m.reranking()) {
            throw new ConfigurationException(ServerSpec.property(name, "embeddings") + " and "
                    + ServerSpec.property(name, "reranking") + " are both true: a llama-server pools its vectors one"
                    + " way. Give the reranker a model of its own.");
        }
        int parallel = m.parallel();
        if (parallel < 1) {
            throw new ConfigurationException(ServerSpec.property(name, "parallel") + "=" + parallel
                    + " must be at least 1.");
        }
        if (m.port() < 0 || m.port() > 65535) {
            throw new ConfigurationException(ServerSpec.property(name, "port") + "=" + m.port()
                    + " is not a port: use 0 (a free one) or 1-65535.");
        }
        long kvTokens = m.kvUnified() ? ctx : (long) ctx * parallel;
        if (kvTokens > Integer.MAX_VALUE) {
            throw new ConfigurationException(ServerSpec.property(name, "context-size") + " x "
                    + ServerSpec.property(name, "parallel") + " is too large.");
        }

        RpcWorkers workers = rpcWorkers(name, m, binary);

        Map<String, String> userEnv = new LinkedHashMap<>(env);
        userEnv.putAll(m.env());
        GpuConfig gpu = config.gpu();
        GpuSelection selection = GpuSelection.select(gpus, gpu.device(), gpu.maskIntegrated(), userEnv,
                gpu.hsaOverrideGfxVersion());
        if (!selection.visible().isEmpty()) {
            LOG.infof("Model '%s' runs on %s", ModelCatalog.displayName(name, m), selection.visible());
        }
        Speculation speculation = Speculation.of(name, m, () -> BinaryLocator.help(binary),
                () -> HubModels.draft(config, name, m, puller));
        Adapters adapters = Adapters.of(name, m, meta);
        Projector projector = Projector.of(name, m, files);
        VramPreflight.Estimate estimate = speculation.plus(VramPreflight.estimate(meta, kvTokens,
                gpu.headroom().asLongValue()), kvTokens).plusWeights(adapters.bytes() + projector.bytes());
        // with RPC workers most of the model lives elsewhere: this host's share is not known before the load
        if (gpu.preflight() != GpuConfig.Preflight.OFF && !"0".equals(m.gpuLayers().orElse("")) && workers.isEmpty()) {
            Optional<String> problem = VramPreflight.check(ModelCatalog.displayName(name, m), estimate, selection);
            if (problem.isPresent()) {
                if (gpu.preflight() == GpuConfig.Preflight.FAIL) {
                    throw new ConfigurationException(problem.get() + " (quarkus.rocm.gpu.preflight=fail)");
                }
                LOG.warn(problem.get());
            }
        }

        String alias = ModelCatalog.alias(name, m);
        List<String> args = LlamaServerArgs.of(file, alias, kvTokens, parallel, m, workers, speculation, adapters,
                projector);
        Optional<SlotCaches> slotCaches = slotCaches(config, name, alias, m, file, binary, version, args);
        slotCaches.ifPresent(c -> args.addAll(c.flags()));

        Map<String, String> processEnv = new LinkedHashMap<>(selection.environment());
        processEnv.putAll(m.env());
        return new LocalSpec(name, alias, new CommandLine(binary, args), version, meta, ctx, parallel,
                Map.copyOf(processEnv), m.port(), m.embeddings(), m.reranking(), config.startupTimeout(), config.stopTimeout(),
                ServerSpecs.restart(config), config.canary().interval(), config.canary().timeout(), selection.visible(),
                // planned as an even split with the workers (llama.cpp splits by free memory); measured after the load
                estimate.total() / (workers.workers().size() + 1),
                new Policy(m.keepAlive().orElse(null), m.pinned()), workers,
                unixSockets && config.unixSocket() && m.port() == 0, adapters, projector.file(), slotCaches);
    }

    /** Where its slots' prompt caches hibernate ({@code kv-cache.hibernate}), valid for this start of it. */
    private static Optional<SlotCaches> slotCaches(RocmRuntimeConfig config, String name, String alias, ModelConfig m,
            Path file, Path binary, String version, List<String> args) {
        if (!m.kvCache().hibernate()) {
            if (m.kvCache().perConversation()) {
                throw new ConfigurationException(ServerSpec.property(name, "kv-cache.per-conversation") + "=true saves"
                        + " conversations with the model's hibernating caches: set "
                        + ServerSpec.property(name, "kv-cache.hibernate") + "=true too.");
            }
            return Optional.empty();
        }
        if (m.embeddings() || m.reranking()) {
            throw new ConfigurationException(ServerSpec.property(name, "kv-cache.hibernate") + "=true is for models"
                    + " that generate: '" + ModelCatalog.displayName(name, m) + "' serves "
                    + (m.embeddings() ? "embeddings" : "reranking") + ", whose requests keep no prompt cache. Remove it.");
        }
        return Optional.of(SlotCaches.of(alias, config.hibernation().dir(), file, binary, version, args,
                config.hibernation().maxDisk().asLongValue(), m.kvCache().perConversation()));
    }

    /** The model's RPC workers, validated; the binary must be able to use them. */
    private static RpcWorkers rpcWorkers(String name, ModelConfig m, Path binary) {
        String property = ServerSpec.property(name, "rpc-workers");
        if (m.rpcWorkers().isEmpty() || m.rpcWorkers().get().isEmpty()) {
            return RpcWorkers.none(property);
        }
        RpcWorkers workers = RpcWorkers.parse(property, m.rpcWorkers().get());
        if (!BinaryLocator.supportsRpc(binary)) {
            throw new ConfigurationException(property + " is set, but " + binary + " has no RPC backend (it refuses"
                    + " --rpc: \"RPC not supported in this build\"). Install one that has: src/main/scripts/install-llama-server.sh --backend rpc,"
                    + " then set " + BinaryLocator.PROPERTY + " to the llama-server it prints (or build llama.cpp with"
                    + " -DGGML_RPC=ON).", java.util.Set.of(property, BinaryLocator.PROPERTY));
        }
        return workers;
    }
}
