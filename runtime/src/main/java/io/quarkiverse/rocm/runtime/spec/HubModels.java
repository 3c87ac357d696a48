package io.quarkiverse.rocm.runtime.spec;

import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.quarkiverse.rocm.runtime.config.ModelConfig;
import io.quarkiverse.rocm.runtime.config.PullPolicy;
import io.quarkiverse.rocm.runtime.config.RocmRuntimeConfig;
import io.quarkiverse.rocm.runtime.hub.HubModel;
import io.quarkiverse.rocm.runtime.hub.Pulled;
import io.quarkiverse.rocm.runtime.hub.Puller;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * The spec of a model named by {@code model.hf-repo}: planned at once from the cache when it holds the model and the
 * pull policy lets it be used as it is, else a {@link PullSpec} whose server pulls it at its first load. With
 * {@code pull=never} a model missing from the cache is a start error.
 */
final class HubModels {

    private static final Logger LOG = Logger.getLogger(HubModels.class);

    private HubModels() {
    }

    /** The model's repository reference, validated, when it names one. */
    static Optional<HubModel> of(String name, ModelConfig m) {
        var f = m.model();
        if (f.hfRepo().isEmpty()) {
            if (f.hfFile().isPresent()) {
                throw new ConfigurationException(ServerSpec.property(name, "model.hf-file") + " is set but "
                        + ServerSpec.property(name, "model.hf-repo") + " is not: set it to the repository (owner/repo).");
            }
            return Optional.empty();
        }
        if (f.path().isPresent() || f.dir().isPresent() || f.file().isPresent()) {
            throw new ConfigurationException("Set either " + ServerSpec.property(name, "model.hf-repo") + " or "
                    + ServerSpec.property(name, f.path().isPresent() ? "model.path" : "model.dir") + ", not both.",
                    Set.of(ServerSpec.property(name, "model.hf-repo")));
        }
        try {
            return Optional.of(HubModel.parse(f.hfRepo().get(), f.hfFile(), f.hfRevision(),
                    ServerSpec.property(name, "model.hf-repo")));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage(), Set.of(ServerSpec.property(name, "model.hf-repo")));
        }
    }

    /**
     * The draft model's file: {@code draft.model.path}, or the file of {@code draft.hf-repo}, pulled now if the cache
     * does not hold it (as the model's pull policy says).
     */
    static Optional<java.nio.file.Path> draft(RocmRuntimeConfig config, String name, ModelConfig m, Puller puller) {
        var d = m.draft();
        String property = ServerSpec.property(name, "draft.hf-repo");
        if (d.hfRepo().isEmpty()) {
            return d.model().path();
        }
        if (d.model().path().isPresent()) {
            throw new ConfigurationException("Set either " + property + " or "
                    + ServerSpec.property(name, "draft.model.path") + ", not both.", Set.of(property));
        }
        HubModel hub;
        try {
            hub = HubModel.parse(d.hfRepo().get(), Optional.empty(), "main", property);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage(), Set.of(property));
        }
        try {
            Pulled pulled = puller.pull(hub, policy(config, m),
                    new io.quarkiverse.rocm.runtime.hub.PullProgress(hub + " (draft)"), () -> false);
            return Optional.of(pulled.file());
        } catch (io.quarkiverse.rocm.runtime.hub.HubException e) {
            throw new ConfigurationException("Cannot pull the draft model of " + property + "=" + d.hfRepo().get()
                    + ": " + e.getMessage(), Set.of(property));
        }
    }

    /** The model's pull policy: its own {@code pull}, else the default model's ({@code quarkus.rocm.pull}). */
    static PullPolicy policy(RocmRuntimeConfig config, ModelConfig m) {
        return m.pull().or(() -> {
            ModelConfig d = config.models().get(RocmRuntimeConfig.DEFAULT_MODEL);
            return d == null ? Optional.empty() : d.pull();
        }).orElse(PullPolicy.WHEN_MISSING);
    }

    /** The property that set the policy in effect. */
    private static String policyProperty(String name, ModelConfig m) {
        return m.pull().isPresent() ? ServerSpec.property(name, "pull") : "quarkus.rocm.pull";
    }

    static LoadableSpec spec(RocmRuntimeConfig config, String name, ModelConfig m, HubModel hub, Puller puller,
            Function<ModelFiles, LocalSpec> plan) {
        PullPolicy policy = policy(config, m);
        Optional<Pulled> cached = policy == PullPolicy.ALWAYS ? Optional.empty() : puller.cached(hub);
        if (cached.isPresent()) {
            LOG.infof("Model '%s' is %s from the cache: %s", ModelCatalog.displayName(name, m), hub, cached.get().file());
            return plan.apply(new ModelFiles(cached.get().file(), cached.get().projector()));
        }
        if (policy == PullPolicy.NEVER) {
            throw new ConfigurationException("Model '" + ModelCatalog.displayName(name, m) + "' ("
                    + ServerSpec.property(name, "model.hf-repo") + "=" + m.model().hfRepo().get() + ") is not in the cache "
                    + puller.cache().root() + ", and " + policyProperty(name, m) + "=never forbids downloading it. Pull it"
                    + " once (" + policyProperty(name, m) + "=when-missing, or llama-server -hf " + hub.repo()
                    + (hub.tag().isEmpty() ? "" : ":" + hub.tag()) + "), or point quarkus.rocm.hf.cache at the cache"
                    + " that holds it.", Set.of(policyProperty(name, m), ServerSpec.property(name, "model.hf-repo")));
        }
        return new PullSpec(name, ModelCatalog.alias(name, m), hub, policy, puller, plan, m.contextSize().orElse(0),
                m.parallel(), m.embeddings(), m.reranking(), config.startupTimeout(), config.stopTimeout(),
                ServerSpecs.restart(config),
                config.canary().interval(), config.canary().timeout(),
                new io.quarkiverse.rocm.runtime.scheduling.Policy(m.keepAlive().orElse(null), m.pinned()),
                Adapters.of(name, m, null));
    }
}
