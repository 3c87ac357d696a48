package io.quarkiverse.rocm.runtime.spec;

import java.util.List;
import java.util.Map;

import io.quarkiverse.rocm.runtime.config.ModelConfig;
import io.quarkiverse.rocm.runtime.config.RocmRuntimeConfig;
import io.quarkus.runtime.configuration.ConfigurationException;

/** The spec of a model served by remote llama-servers, validated. */
final class RemoteSpecs {

    private RemoteSpecs() {
    }

    /**
     * A model served by remote llama-servers ({@code urls}): no binary, file or GPU of its own; the properties that
     * only a local llama-server takes are refused, so that nobody believes they apply.
     */
    static RemoteSpec of(RocmRuntimeConfig config, String name, ModelConfig m) {
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
        // parallel: the slots of each replica, so that the gate lets every replica's slots work
        return new RemoteSpec(name, ModelCatalog.alias(name, m), m.contextSize().orElse(0),
                m.parallel() * pool.urls().size(), m.embeddings(), m.reranking(), config.startupTimeout(), config.stopTimeout(),
                ServerSpecs.restart(config), config.canary().interval(), config.canary().timeout(), pool);
    }
}
