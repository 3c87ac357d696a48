package io.quarkiverse.rocm.runtime.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import io.quarkiverse.rocm.runtime.config.GpuConfig;
import io.quarkiverse.rocm.runtime.config.ModelConfig;
import io.quarkiverse.rocm.runtime.config.RocmRuntimeConfig;
import io.quarkiverse.rocm.runtime.gguf.GgufException;
import io.quarkiverse.rocm.runtime.gguf.GgufMetadata;
import io.quarkiverse.rocm.runtime.gguf.GgufReader;
import io.quarkiverse.rocm.runtime.gpu.AmdGpus;
import io.quarkiverse.rocm.runtime.gpu.GpuDevice;
import io.quarkiverse.rocm.runtime.gpu.GpuSelection;
import io.quarkiverse.rocm.runtime.gpu.VramPreflight;
import io.quarkiverse.rocm.runtime.process.BinaryLocator;
import io.quarkiverse.rocm.runtime.process.CommandLine;
import io.quarkiverse.rocm.runtime.process.LlamaServerException;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Turns configuration into validated {@link ServerSpec}s before anything is spawned: the binary is found and runs,
 * every model file exists and is a GGUF file, the context is planned from the GGUF header, the GPU is chosen and the
 * model is checked against its free VRAM. Every error names the property to change.
 */
public final class ServerSpecs {

    private static final Logger LOG = Logger.getLogger(ServerSpecs.class);
    /** The context used when none is configured, unless the model was trained for less. */
    public static final int DEFAULT_CONTEXT_CAP = 4096;
    /** {@code general.name} of the built-in test model. */
    public static final String TINY_MODEL_NAME = "tiny-llama-scripted";

    private ServerSpecs() {
    }

    /** The names of the configured models: the default one if it has a model, then the named ones. */
    public static List<String> modelNames(RocmRuntimeConfig config) {
        return modelNames(config, !discovered(config).isEmpty());
    }

    private static List<String> modelNames(RocmRuntimeConfig config, boolean othersFound) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, ModelConfig> e : config.models().entrySet()) {
            var m = e.getValue().model();
            if (m.path().isPresent() || m.dir().isPresent() || m.file().isPresent() || e.getValue().urls().isPresent()) {
                names.add(e.getKey());
            }
        }
        names.sort((a, b) -> RocmRuntimeConfig.DEFAULT_MODEL.equals(a) ? -1
                : RocmRuntimeConfig.DEFAULT_MODEL.equals(b) ? 1 : a.compareTo(b));
        if (names.isEmpty() && !othersFound) {
            throw new ConfigurationException("No model configured: set quarkus.rocm.model.path to a GGUF file (or"
                    + " quarkus.rocm.model.dir and quarkus.rocm.model.file). In dev and test mode the built-in tiny"
                    + " test model is served when none is configured.",
                    java.util.Set.of("quarkus.rocm.model.path"));
        }
        return names;
    }

    public static List<ServerSpec> from(RocmRuntimeConfig config, Map<String, String> env) {
        List<ServerSpec> specs = new ArrayList<>();
        Map<String, String> aliases = new LinkedHashMap<>();
        Map<String, Path> found = discovered(config);
        Map<String, Path> files = new LinkedHashMap<>();
        for (String name : modelNames(config, !found.isEmpty())) {
            files.put(name, null);
        }
        found.forEach((name, file) -> {
            if (!files.containsKey(name)) { // a configured model of the same name wins
                files.put(name, file);
            }
        });
        BinaryLocator.Located binary = null;
        String version = null;
        List<GpuDevice> gpus = List.of();
        for (Map.Entry<String, Path> model : files.entrySet()) {
            String name = model.getKey();
            ModelConfig m = config.models().get(name);
            ServerSpec spec;
            if (model.getValue() == null && m.urls().isPresent()) {
                spec = remoteSpec(config, name, m);
            } else {
                if (binary == null) { // only an application that starts a llama-server needs one
                    binary = BinaryLocator.locate(config.binary(), env, config.installDir());
                    try {
                        version = BinaryLocator.version(binary.path());
                    } catch (LlamaServerException e) {
                        throw new LlamaServerException(e.getMessage() + " (found through " + binary.source() + "; set "
                                + BinaryLocator.PROPERTY + " to a working llama-server)", e);
                    }
                    LOG.debugf("Using llama-server %s (%s) from %s", binary.path(), version, binary.source());
                    gpus = AmdGpus.scan(config.gpu().sysfsRoot());
                }
                spec = spec(config, name, m, model.getValue(), binary.path(), version, gpus, env);
            }
            String other = aliases.put(spec.alias(), name);
            if (other != null) {
                throw new ConfigurationException("Models " + ServerSpec.property(other, "model") + " and "
                        + spec.property("model") + " share the alias '" + spec.alias() + "': set "
                        + spec.property("model.alias") + " to another name.");
            }
            specs.add(spec);
        }
        return specs;
    }

    /** The scheduler's limits: {@code max-loaded}, {@code memory-budget}, {@code swap-fairness}. */
    public static Scheduler.Limits limits(RocmRuntimeConfig config, List<ServerSpec> specs) {
        int maxLoaded = config.maxLoaded().orElse(0);
        if (config.maxLoaded().isPresent() && maxLoaded < 1) {
            throw new ConfigurationException("quarkus.rocm.max-loaded=" + maxLoaded + " must be at least 1 (or unset).",
                    java.util.Set.of("quarkus.rocm.max-loaded"));
        }
        java.util.Set<GpuDevice> gpus = new java.util.LinkedHashSet<>();
        specs.forEach(s -> gpus.addAll(s.gpus()));
        long budget = MemoryBudget.bytes(config.memoryBudget(), gpus, config.gpu().headroom().asLongValue(),
                Path.of("/proc/meminfo"));
        return new Scheduler.Limits(maxLoaded, budget, Math.max(0, config.swapFairness()));
    }

    /**
     * The models found in {@code quarkus.rocm.models-dir}, by name: every {@code .gguf} file there (named after the
     * file), and every sub-folder holding the parts of a split model (named after the folder; the first part is the
     * file llama-server opens).
     */
    public static Map<String, Path> discovered(RocmRuntimeConfig config) {
        Map<String, Path> found = new java.util.TreeMap<>();
        if (config.modelsDir().isEmpty()) {
            return found;
        }
        Path dir = config.modelsDir().get().toAbsolutePath();
        if (!Files.isDirectory(dir)) {
            throw new ConfigurationException("quarkus.rocm.models-dir=" + dir + " is not a folder: point it at the"
                    + " folder of your GGUF models, or remove it.", java.util.Set.of("quarkus.rocm.models-dir"));
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries.sorted()::iterator) {
                String file = p.getFileName().toString();
                if (Files.isRegularFile(p) && file.endsWith(".gguf")) {
                    found.put(file.substring(0, file.length() - ".gguf".length()), p);
                } else if (Files.isDirectory(p)) {
                    try (Stream<Path> parts = Files.list(p)) {
                        parts.filter(f -> f.getFileName().toString().endsWith(".gguf")).sorted().findFirst()
                                .ifPresent(first -> found.put(file, first));
                    }
                }
            }
        } catch (IOException e) {
            throw new ConfigurationException("Cannot list quarkus.rocm.models-dir=" + dir + ": " + e.getMessage(), e);
        }
        return found;
    }

    static ServerSpec spec(RocmRuntimeConfig config, String name, ModelConfig m, Path discovered, Path binary,
            String version, List<GpuDevice> gpus, Map<String, String> env) {
        Path file = discovered != null ? discovered : modelFile(name, m);
        GgufMetadata meta;
        try {
            meta = GgufReader.read(file);
        } catch (GgufException e) {
            String fix = e.getMessage().contains("truncated")
                    ? " It looks like a partial download: download it again (compare its size with the published one)."
                    : " Point it at a GGUF model file.";
            throw new ConfigurationException("Cannot use the model of " + modelProperty(name, m) + ": "
                    + e.getMessage() + "." + fix, e);
        }
        if (meta.tensorCount() == 0) {
            throw new ConfigurationException("Cannot use the model of " + modelProperty(name, m) + ": " + file
                    + " has no tensors: it is a vocabulary-only GGUF (like llama.cpp's ggml-vocab-*.gguf), not a model."
                    + " Point it at the model's weights file.");
        }
        if (TINY_MODEL_NAME.equals(meta.name().orElse(""))) {
            LOG.warnf("Model '%s' is the built-in tiny test model (%s): it answers every question with the same"
                    + " sentence. Set %s to a real GGUF model.", displayName(name, m), file,
                    ServerSpec.property(name, "model.path"));
        }
        long trained = meta.contextLength().orElse(DEFAULT_CONTEXT_CAP);
        int ctx;
        if (m.contextSize().isPresent()) {
            ctx = m.contextSize().getAsInt();
            if (ctx <= 0) {
                throw new ConfigurationException(ServerSpec.property(name, "context-size") + "=" + ctx
                        + " must be positive (or unset for the model's, capped at " + DEFAULT_CONTEXT_CAP + ").");
            }
            if (ctx > trained) {
                LOG.warnf("%s=%d is more than the %d tokens model '%s' was trained for: answers degrade past it.",
                        ServerSpec.property(name, "context-size"), ctx, trained, displayName(name, m));
            }
        } else {
            ctx = (int) Math.min(trained, DEFAULT_CONTEXT_CAP);
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
            LOG.infof("Model '%s' runs on %s", displayName(name, m), selection.visible());
        }
        VramPreflight.Estimate estimate = VramPreflight.estimate(meta, kvTokens, gpu.headroom().asLongValue());
        // with RPC workers most of the model lives elsewhere: this host's share is not known before the load
        if (gpu.preflight() != GpuConfig.Preflight.OFF && !"0".equals(m.gpuLayers().orElse("")) && workers.isEmpty()) {
            Optional<String> problem = VramPreflight.check(displayName(name, m), estimate, selection);
            if (problem.isPresent()) {
                if (gpu.preflight() == GpuConfig.Preflight.FAIL) {
                    throw new ConfigurationException(problem.get() + " (quarkus.rocm.gpu.preflight=fail)");
                }
                LOG.warn(problem.get());
            }
        }

        String alias = m.model().alias().orElse(RocmRuntimeConfig.DEFAULT_MODEL.equals(name) ? "default" : name);
        List<String> args = new ArrayList<>(List.of("-m", file.toString(), "--alias", alias,
                "-c", Long.toString(kvTokens), "-np", Integer.toString(parallel),
                m.kvUnified() ? "--kv-unified" : "--no-kv-unified", "--metrics", "--no-webui", "--log-colors", "off"));
        m.threads().ifPresent(t -> args.addAll(List.of("-t", Integer.toString(t))));
        m.gpuLayers().ifPresent(l -> args.addAll(List.of("-ngl", l)));
        m.flashAttention().ifPresent(f -> args.addAll(List.of("-fa", f)));
        if (m.embeddings()) {
            args.add("--embeddings");
        }
        m.pooling().ifPresent(p -> args.addAll(List.of("--pooling", p)));
        if (!workers.isEmpty()) {
            args.addAll(List.of("--rpc", workers.argument()));
        }
        m.args().ifPresent(args::addAll);

        Map<String, String> processEnv = new LinkedHashMap<>(selection.environment());
        processEnv.putAll(m.env());
        var restart = config.restart();
        return new ServerSpec(name, alias, new CommandLine(binary, args), version, meta, ctx, parallel,
                Map.copyOf(processEnv),
                m.port(), m.embeddings(), config.startupTimeout(), config.stopTimeout(),
                new ServerSpec.RestartPolicy(restart.enabled(), restart.maxAttempts(), restart.initialBackoff(),
                        restart.maxBackoff()),
                config.canary().interval(), config.canary().timeout(), selection.visible(),
                // planned as an even split with the workers (llama.cpp splits by free memory); measured after the load
                estimate.total() / (workers.workers().size() + 1),
                new Scheduler.Policy(m.keepAlive().orElse(null), m.pinned()), workers, null);
    }

    /**
     * A model served by remote llama-servers ({@code urls}): no binary, file or GPU of its own; the properties that
     * only a local llama-server takes are refused, so that nobody believes they apply.
     */
    static ServerSpec remoteSpec(RocmRuntimeConfig config, String name, ModelConfig m) {
        String urls = ServerSpec.property(name, "urls");
        var f = m.model();
        for (var local : List.of(Map.entry("model.path", f.path().isPresent()), Map.entry("model.dir", f.dir().isPresent()),
                Map.entry("model.file", f.file().isPresent()),
                Map.entry("rpc-workers", m.rpcWorkers().isPresent()), Map.entry("args", m.args().isPresent()))) {
            if (local.getValue()) {
                throw new ConfigurationException(urls + " and " + ServerSpec.property(name, local.getKey())
                        + " are both set: a model is served either by remote llama-servers (urls) or by one this"
                        + " application starts (model.path, rpc-workers, args); remove one of them.",
                        java.util.Set.of(urls, ServerSpec.property(name, local.getKey())));
            }
        }
        if (m.parallel() < 1) {
            throw new ConfigurationException(ServerSpec.property(name, "parallel") + "=" + m.parallel()
                    + " must be at least 1.");
        }
        PoolSpec pool = PoolSpec.parse(urls, m.urls().get(), m.apiKey().orElse(null), m.balance(), m.affinitySlack(),
                ServerSpec.property(name, "affinity-slack"));
        String alias = m.model().alias().orElse(RocmRuntimeConfig.DEFAULT_MODEL.equals(name) ? "default" : name);
        var restart = config.restart();
        // parallel: the slots of each replica, so that the gate lets twice the pool's slots through
        return new ServerSpec(name, alias, null, "remote", null, m.contextSize().orElse(0),
                m.parallel() * pool.urls().size(), Map.of(), 0, m.embeddings(), config.startupTimeout(),
                config.stopTimeout(),
                new ServerSpec.RestartPolicy(restart.enabled(), restart.maxAttempts(), restart.initialBackoff(),
                        restart.maxBackoff()),
                config.canary().interval(), config.canary().timeout(), List.of(), 0,
                new Scheduler.Policy(null, true), RpcWorkers.none(ServerSpec.property(name, "rpc-workers")), pool);
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

    static Path modelFile(String name, ModelConfig m) {
        var f = m.model();
        if (f.path().isPresent()) {
            if (f.dir().isPresent() || f.file().isPresent()) {
                throw new ConfigurationException("Set either " + ServerSpec.property(name, "model.path") + " or "
                        + ServerSpec.property(name, "model.dir") + " with " + ServerSpec.property(name, "model.file")
                        + ", not both.");
            }
            return f.path().get().toAbsolutePath(); // relative to the working directory, shown in full in errors
        }
        if (f.dir().isEmpty()) {
            throw new ConfigurationException(ServerSpec.property(name, "model.file") + " is set but "
                    + ServerSpec.property(name, "model.dir") + " is not: set it to the folder of the GGUF file.");
        }
        Path dir = f.dir().get().toAbsolutePath();
        if (!Files.isDirectory(dir)) {
            throw new ConfigurationException(ServerSpec.property(name, "model.dir") + "=" + dir
                    + " is not a folder.");
        }
        if (f.file().isEmpty()) {
            throw new ConfigurationException(ServerSpec.property(name, "model.dir") + " is set but "
                    + ServerSpec.property(name, "model.file") + " is not. GGUF files in " + dir + ": " + ggufFiles(dir));
        }
        Path file = dir.resolve(f.file().get());
        if (!Files.exists(file)) {
            throw new ConfigurationException(ServerSpec.property(name, "model.file") + "=" + f.file().get()
                    + " is not in " + dir + ". GGUF files there: " + ggufFiles(dir));
        }
        return file;
    }

    /** The property that names the model file: {@code model.path}, or {@code model.file} with {@code model.dir}. */
    private static String modelProperty(String name, ModelConfig m) {
        return ServerSpec.property(name, m.model().path().isPresent() ? "model.path" : "model.file");
    }

    private static String ggufFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".gguf")).sorted()
                    .toList();
            return names.isEmpty() ? "none" : String.join(", ", names);
        } catch (IOException e) {
            return "(cannot list: " + e.getMessage() + ")";
        }
    }

    private static String displayName(String name, ModelConfig m) {
        return RocmRuntimeConfig.DEFAULT_MODEL.equals(name) ? m.model().alias().orElse("default") : name;
    }
}
