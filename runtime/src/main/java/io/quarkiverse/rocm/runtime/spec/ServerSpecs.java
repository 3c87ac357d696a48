package io.quarkiverse.rocm.runtime.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.quarkiverse.rocm.runtime.config.ModelConfig;
import io.quarkiverse.rocm.runtime.config.RocmRuntimeConfig;
import io.quarkiverse.rocm.runtime.gpu.AmdGpus;
import io.quarkiverse.rocm.runtime.gpu.GpuDevice;
import io.quarkiverse.rocm.runtime.hub.HubModel;
import io.quarkiverse.rocm.runtime.hub.Puller;
import io.quarkiverse.rocm.runtime.process.BinaryLocator;
import io.quarkiverse.rocm.runtime.process.LlamaServerException;
import io.quarkiverse.rocm.runtime.scheduling.Limits;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Turns configuration into validated {@link ServerSpec}s before anything is spawned: which models there are
 * ({@link ModelCatalog}), the binary found and run once for those this application starts ({@link LocalSpecs}), the
 * replicas of the others ({@link RemoteSpecs}), one alias per model, and the scheduler's limits.
 */
public final class ServerSpecs {

    private static final Logger LOG = Logger.getLogger(ServerSpecs.class);
    /** The context used when none is configured, unless the model was trained for less. */
    public static final int DEFAULT_CONTEXT_CAP = 4096;
    /** {@code general.name} of the built-in test model. */
    public static final String TINY_MODEL_NAME = LocalSpecs.TINY_MODEL_NAME;

    private ServerSpecs() {
    }

    /** The names of the configured models: the default one if it has a model, then the named ones. */
    public static List<String> modelNames(RocmRuntimeConfig config) {
        return ModelCatalog.modelNames(config, !ModelCatalog.discovered(config).isEmpty());
    }

    /** The specs of every model, their llama-servers on loopback ports. */
    public static List<ServerSpec> from(RocmRuntimeConfig config, Map<String, String> env) {
        return from(config, env, false, puller(config, env));
    }

    /** The hub and cache of the models named by {@code model.hf-repo}. */
    public static Puller puller(RocmRuntimeConfig config, Map<String, String> env) {
        return Puller.of(config.hf().endpoint(), config.hf().token(), config.hf().cache(), env);
    }

    /**
     * The specs of every model.
     *
     * @param unixSockets whether the application's HTTP client can reach a llama-server on a Unix domain socket (its
     *        Vert.x runs on a native transport): then they listen on one, as {@code quarkus.rocm.unix-socket} says
     * @param puller pulls the models named by {@code model.hf-repo}
     */
    public static List<ServerSpec> from(RocmRuntimeConfig config, Map<String, String> env, boolean unixSockets,
            Puller puller) {
        List<ServerSpec> specs = new ArrayList<>();
        Map<String, String> aliases = new LinkedHashMap<>();
        Map<String, ModelFiles> found = ModelCatalog.discovered(config);
        Map<String, ModelFiles> files = new LinkedHashMap<>();
        for (String name : ModelCatalog.modelNames(config, !found.isEmpty())) {
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
        for (Map.Entry<String, ModelFiles> model : files.entrySet()) {
            String name = model.getKey();
            ModelConfig m = config.models().get(name);
            ServerSpec spec;
            if (model.getValue() == null && m.urls().isPresent()) {
                spec = RemoteSpecs.of(config, name, m);
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
                Path bin = binary.path();
                String v = version;
                List<GpuDevice> g = gpus;
                Function<ModelFiles, LocalSpec> plan = f -> LocalSpecs.of(config, name, m, f, bin, v, g, env,
                        unixSockets, puller);
                Optional<HubModel> hub = model.getValue() == null ? HubModels.of(name, m) : Optional.empty();
                spec = hub.isPresent() ? HubModels.spec(config, name, m, hub.get(), puller, plan)
                        : plan.apply(model.getValue());
            }
            String other = aliases.put(spec.alias(), name);
            if (other != null) {
                throw new ConfigurationException("Models " + ServerSpec.property(other, "model") + " and "
                        + spec.property("model") + " share the alias '" + spec.alias() + "': set "
                        + spec.property("model.alias") + " to another name.");
            }
            specs.add(spec);
        }
        Map<String, String> adapters = new LinkedHashMap<>(); // adapters are models to callers: API names too
        for (ServerSpec spec : specs) {
            for (Adapters.Adapter a : spec.adapters().list()) {
                String property = spec.property("lora.\"" + a.name() + "\"");
                String other = aliases.containsKey(a.name()) ? ServerSpec.property(aliases.get(a.name()), "model")
                        : adapters.put(a.name(), property);
                if (other != null) {
                    throw new ConfigurationException("The LoRA adapter " + property + " has the API name of " + other
                            + " ('" + a.name() + "'): callers choose a model or an adapter by name, so rename the"
                            + " adapter.");
                }
            }
        }
        return specs;
    }

    /** The scheduler's limits: {@code max-loaded}, {@code memory-budget}, {@code swap-fairness}. */
    public static Limits limits(RocmRuntimeConfig config, List<ServerSpec> specs) {
        int maxLoaded = config.maxLoaded().orElse(0);
        if (config.maxLoaded().isPresent() && maxLoaded < 1) {
            throw new ConfigurationException("quarkus.rocm.max-loaded=" + maxLoaded + " must be at least 1 (or unset).",
                    java.util.Set.of("quarkus.rocm.max-loaded"));
        }
        java.util.Set<GpuDevice> gpus = new java.util.LinkedHashSet<>();
        for (ServerSpec s : specs) {
            if (s instanceof LocalSpec local) {
                gpus.addAll(local.gpus());
            }
        }
        long budget = MemoryBudget.bytes(config.memoryBudget(), gpus, config.gpu().headroom().asLongValue(),
                Path.of("/proc/meminfo"));
        return new Limits(maxLoaded, budget, Math.max(0, config.swapFairness()), config.cancelAbandonedLoads());
    }

    /** The restart policy of every model. */
    static ServerSpec.RestartPolicy restart(RocmRuntimeConfig config) {
        var r = config.restart();
        return new ServerSpec.RestartPolicy(r.enabled(), r.maxAttempts(), r.initialBackoff(), r.maxBackoff());
    }
}
