package io.quarkiverse.rocm.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.util.TypeLiteral;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import dev.langchain4j.model.chat.listener.ChatModelListener;
import io.quarkiverse.langchain4j.ModelBuilderCustomizer;
import io.quarkiverse.rocm.runtime.client.LlamaServerClients;
import io.quarkiverse.rocm.runtime.config.RocmRuntimeConfig;
import io.quarkiverse.rocm.runtime.config.UnexpandedValues;
import io.quarkiverse.rocm.runtime.hub.Puller;
import io.quarkiverse.rocm.runtime.langchain4j.RocmChatModel;
import io.quarkiverse.rocm.runtime.langchain4j.RocmChatModels;
import io.quarkiverse.rocm.runtime.process.Orphans;
import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.quarkiverse.rocm.runtime.server.ServerWatcher;
import io.quarkiverse.rocm.runtime.server.ToolSupportCheck;
import io.quarkiverse.rocm.runtime.spec.ModelCatalog;
import io.quarkiverse.rocm.runtime.spec.ServerSpec;
import io.quarkiverse.rocm.runtime.spec.ServerSpecs;
import io.quarkus.arc.Arc;
import io.quarkus.arc.SyntheticCreationalContext;
import io.quarkus.runtime.RuntimeValue;
import io.quarkus.runtime.ShutdownContext;
import io.quarkus.runtime.annotations.Recorder;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.vertx.core.Vertx;

/**
 * The extension's boot: reaps orphans of a killed earlier run, builds the specs, creates the model servers, starts
 * them as the start mode says, stops them with the application, and hands the chat and embedding models to CDI.
 */
@Recorder
public class RocmRecorder {

    private static final Logger LOG = Logger.getLogger(RocmRecorder.class);
    private static final TypeLiteral<Instance<ChatModelListener>> LISTENERS = new TypeLiteral<>() {
    };
    private static final TypeLiteral<Instance<ModelBuilderCustomizer<RocmChatModel.Builder>>> CUSTOMIZERS = new TypeLiteral<>() {
    };
    private final RuntimeValue<RocmRuntimeConfig> config;

    public RocmRecorder(RuntimeValue<RocmRuntimeConfig> config) {
        this.config = config;
    }

    /**
     * Validates the configuration, reaps servers left behind by a killed earlier run, creates one server per model
     * and starts them as {@code quarkus.rocm.start} says. Stops them with the application (in dev mode, ready
     * servers are kept for the next live reload). AI services that use tools are named in a warning when their model
     * cannot call tools.
     */
    public RuntimeValue<ModelServers> start(ShutdownContext shutdown, Supplier<Vertx> vertx, boolean devMode,
            Map<String, List<String>> aiServicesWithTools) {
        RocmRuntimeConfig c = config.getValue();
        int reaped = new Orphans(Path.of("/proc")).reap(c.stopTimeout().toMillis());
        if (reaped > 0) {
            LOG.infof("Stopped %d llama-server process(es) left behind by applications that were killed", reaped);
        }
        UnexpandedValues.check(ConfigProvider.getConfig());
        // a Unix domain socket between the client and each local llama-server needs Vert.x on a native transport
        Puller puller = ServerSpecs.puller(c, System.getenv());
        List<ServerSpec> specs = ServerSpecs.from(c, System.getenv(), vertx.get().isNativeTransportEnabled(), puller);
        Set<String> onDemand = new HashSet<>(ModelCatalog.discovered(c).keySet());
        onDemand.removeAll(ServerSpecs.modelNames(c));
        ModelServers servers = ModelServers.create(specs, devMode, c.start() == RocmRuntimeConfig.StartMode.LAZY,
                ServerSpecs.limits(c, specs), onDemand, puller);
        shutdown.addShutdownTask(() -> servers.close(devMode));
        new ToolSupportCheck(aiServicesWithTools).watch(servers);
        // the beans that watch the servers from their start (traces of the loads)
        for (ServerWatcher watcher : Arc.container().select(ServerWatcher.class)) {
            watcher.watch(servers);
        }
        switch (c.start()) {
            case EAGER -> servers.startAndWait();
            case BACKGROUND -> servers.startInBackground();
            case LAZY -> LOG.debug("llama-server starts on first use (quarkus.rocm.start=lazy)");
        }
        return new RuntimeValue<>(servers);
    }

    /** A scoring model (reranker) on the configured model {@code modelName} (which must have {@code reranking=true}). */
    public Function<SyntheticCreationalContext<dev.langchain4j.model.scoring.ScoringModel>, dev.langchain4j.model.scoring.ScoringModel> scoringModel(
            String modelName) {
        return context -> {
            LlamaServerClients clients = context.getInjectedReference(LlamaServerClients.class);
            if (clients.servers().byName(modelName).isEmpty()) {
                throw new ConfigurationException("A scoring model '" + modelName + "' is used but no such model is"
                        + " configured: set " + ServerSpec.property(modelName, "model.path") + " and "
                        + ServerSpec.property(modelName, "reranking") + "=true.");
            }
            return new io.quarkiverse.rocm.runtime.langchain4j.RocmScoringModel(clients.client(modelName),
                    config.getValue().models().get(modelName).chatModel().timeout(), config.getValue().captureContent());
        };
    }

    /** An embedding model on the configured model {@code modelName} (which must have {@code embeddings=true}). */
    public Function<SyntheticCreationalContext<dev.langchain4j.model.embedding.EmbeddingModel>, dev.langchain4j.model.embedding.EmbeddingModel> embeddingModel(
            String modelName) {
        return new Function<>() {
            @Override
            public dev.langchain4j.model.embedding.EmbeddingModel apply(
                    SyntheticCreationalContext<dev.langchain4j.model.embedding.EmbeddingModel> context) {
                LlamaServerClients clients = context.getInjectedReference(LlamaServerClients.class);
                if (clients.servers().byName(modelName).isEmpty()) {
                    throw new ConfigurationException("An embedding model '" + modelName + "' is used but no such model"
                            + " is configured: set " + ServerSpec.property(modelName, "model.path") + " and "
                            + ServerSpec.property(modelName, "embeddings") + "=true.");
                }
                return new io.quarkiverse.rocm.runtime.langchain4j.RocmEmbeddingModel(clients.client(modelName),
                        config.getValue().models().get(modelName).chatModel().timeout(),
                        config.getValue().captureContent());
            }
        };
    }

    /**
     * A chat model of the configured model {@code modelName}, with the application's listeners and the builder
     * customizers qualified for it.
     */
    public <T> Function<SyntheticCreationalContext<T>, T> chatModel(String modelName) {
        return new Function<>() {
            @Override
            @SuppressWarnings("unchecked")
            public T apply(SyntheticCreationalContext<T> context) {
                LlamaServerClients clients = context.getInjectedReference(LlamaServerClients.class);
                if (clients.servers().byName(modelName).isEmpty() && clients.servers().byAdapter(modelName).isEmpty()) {
                    throw new ConfigurationException("A chat model '" + modelName + "' is used (an AI service or an"
                            + " injection point names it) but no such model is configured: set "
                            + ServerSpec.property(modelName, "model.path") + " to a GGUF file.");
                }
                RocmChatModel.Builder builder = RocmChatModels.builder(config.getValue(), clients, modelName);
                List<ChatModelListener> listeners = new ArrayList<>();
                for (ChatModelListener l : context.getInjectedReference(LISTENERS)) {
                    listeners.add(l);
                }
                builder.listeners(listeners);
                ModelBuilderCustomizer.applyCustomizers(context.getInjectedReference(CUSTOMIZERS, Any.Literal.INSTANCE),
                        builder, modelName);
                return (T) builder.build();
            }
        };
    }
}
