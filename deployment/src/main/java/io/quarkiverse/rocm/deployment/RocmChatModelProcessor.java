package io.quarkiverse.rocm.deployment;

import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Singleton;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.ClassType;
import org.jboss.jandex.DotName;
import org.jboss.jandex.ParameterizedType;
import org.jboss.jandex.Type;

import io.quarkiverse.langchain4j.ModelName;
import io.quarkiverse.langchain4j.deployment.DotNames;
import io.quarkiverse.langchain4j.deployment.LangChain4jDotNames;
import io.quarkiverse.langchain4j.deployment.items.ChatModelProviderCandidateBuildItem;
import io.quarkiverse.langchain4j.deployment.items.EmbeddingModelProviderCandidateBuildItem;
import io.quarkiverse.langchain4j.deployment.items.ScoringModelProviderCandidateBuildItem;
import io.quarkiverse.langchain4j.deployment.items.SelectedChatModelProviderBuildItem;
import io.quarkiverse.langchain4j.deployment.items.SelectedEmbeddingModelCandidateBuildItem;
import io.quarkiverse.langchain4j.deployment.items.SelectedScoringModelProviderBuildItem;
import io.quarkiverse.langchain4j.runtime.NamedConfigUtil;
import io.quarkiverse.rocm.runtime.RocmRecorder;
import io.quarkiverse.rocm.runtime.client.LlamaServerClients;
import io.quarkiverse.rocm.runtime.langchain4j.RocmChatModel;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.SyntheticBeanBuildItem;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * The chat models: an injectable {@link RocmChatModel} per configured model, and the {@code rocm} provider of
 * quarkus-langchain4j, whose {@code ChatModel} and {@code StreamingChatModel} beans AI services use.
 */
class RocmChatModelProcessor {

    static final String PROVIDER = "rocm";
    static final DotName ROCM_CHAT_MODEL = DotName.createSimple(RocmChatModel.class);
    static final DotName BUILDER = DotName.createSimple(RocmChatModel.Builder.class);

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem("langchain4j-rocm");
    }

    @BuildStep
    AdditionalBeanBuildItem clients() {
        return AdditionalBeanBuildItem.unremovableOf(LlamaServerClients.class);
    }

    @BuildStep
    ChatModelProviderCandidateBuildItem providerCandidate() {
        return new ChatModelProviderCandidateBuildItem(PROVIDER);
    }

    @BuildStep
    EmbeddingModelProviderCandidateBuildItem embeddingProviderCandidate() {
        return new EmbeddingModelProviderCandidateBuildItem(PROVIDER);
    }

    @BuildStep
    ScoringModelProviderCandidateBuildItem scoringProviderCandidate() {
        return new ScoringModelProviderCandidateBuildItem(PROVIDER);
    }

    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    void scoringBeans(RocmRecorder recorder, ConfiguredModelsBuildItem models,
            List<SelectedScoringModelProviderBuildItem> selected, BuildProducer<SyntheticBeanBuildItem> beans) {
        for (SelectedScoringModelProviderBuildItem s : selected) {
            if (PROVIDER.equals(s.getProvider())) {
                String name = s.getConfigName();
                requireConfigured(name, models.named(), "scoring-model", " and quarkus.rocm." + name + ".reranking=true");
                beans.produce(modelBean(LangChain4jDotNames.SCORING_MODEL, name, recorder.scoringModel(name)));
            }
        }
    }

    /** A model bean of {@code type} for the model {@code name}, qualified with {@code @ModelName} unless default. */
    private static <T> SyntheticBeanBuildItem modelBean(DotName type, String name,
            java.util.function.Function<io.quarkus.arc.SyntheticCreationalContext<T>, T> creator) {
        SyntheticBeanBuildItem.ExtendedBeanConfigurator c = SyntheticBeanBuildItem.configure(type).setRuntimeInit()
                .defaultBean().scope(ApplicationScoped.class)
                .addInjectionPoint(ClassType.create(DotName.createSimple(LlamaServerClients.class)))
                .createWith(creator);
        if (!NamedConfigUtil.isDefault(name)) {
            c.addQualifier(AnnotationInstance.builder(ModelName.class).add("value", name).build());
        }
        return c.done();
    }

    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    void embeddingBeans(RocmRecorder recorder, ConfiguredModelsBuildItem models,
            List<SelectedEmbeddingModelCandidateBuildItem> selected, BuildProducer<SyntheticBeanBuildItem> beans) {
        Set<String> named = models.named();
        for (SelectedEmbeddingModelCandidateBuildItem s : selected) {
            if (!PROVIDER.equals(s.getProvider())) {
                continue;
            }
            String name = s.getConfigName();
            requireConfigured(name, named, "embedding-model", " and quarkus.rocm." + name + ".embeddings=true");
            beans.produce(modelBean(LangChain4jDotNames.EMBEDDING_MODEL, name, recorder.embeddingModel(name)));
        }
    }

    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    void beans(RocmRecorder recorder, ConfiguredModelsBuildItem models, List<SelectedChatModelProviderBuildItem> selected,
            BuildProducer<SyntheticBeanBuildItem> beans) {
        Set<String> named = models.named();
        // @Inject RocmChatModel (and @Inject @ModelName("x") RocmChatModel)
        beans.produce(configure(SyntheticBeanBuildItem.configure(ROCM_CHAT_MODEL), NamedConfigUtil.DEFAULT_NAME)
                .scope(Singleton.class).unremovable()
                .createWith(recorder.chatModel(NamedConfigUtil.DEFAULT_NAME)).done());
        for (String name : named) {
            beans.produce(configure(SyntheticBeanBuildItem.configure(ROCM_CHAT_MODEL), name).scope(Singleton.class)
                    .unremovable().createWith(recorder.chatModel(name)).done());
        }
        // the provider's beans, for the configurations quarkus-langchain4j selected "rocm" for
        for (SelectedChatModelProviderBuildItem s : selected) {
            if (!PROVIDER.equals(s.getProvider())) {
                continue;
            }
            String name = s.getConfigName();
            requireConfigured(name, named, "chat-model", "");
            for (DotName type : List.of(LangChain4jDotNames.CHAT_MODEL, LangChain4jDotNames.STREAMING_CHAT_MODEL)) {
                beans.produce(configure(SyntheticBeanBuildItem.configure(type), name).defaultBean()
                        .scope(ApplicationScoped.class).createWith(recorder.chatModel(name)).done());
            }
        }
    }

    /** A named quarkus-langchain4j configuration that selects this provider needs a model of the same name. */
    private static void requireConfigured(String name, Set<String> named, String kind, String more) {
        if (!NamedConfigUtil.isDefault(name) && !named.contains(name)) {
            throw new ConfigurationException("quarkus.langchain4j." + name + "." + kind + ".provider selects the 'rocm'"
                    + " provider, but no model '" + name + "' is configured: set quarkus.rocm." + name
                    + ".model.path to a GGUF file" + more + " (models configured: "
                    + (named.isEmpty() ? "only the default" : "the default and " + named) + ").");
        }
    }

    private static SyntheticBeanBuildItem.ExtendedBeanConfigurator configure(
            SyntheticBeanBuildItem.ExtendedBeanConfigurator c, String name) {
        c.setRuntimeInit()
                .addInjectionPoint(ClassType.create(DotName.createSimple(LlamaServerClients.class)))
                .addInjectionPoint(ParameterizedType.create(DotNames.CDI_INSTANCE,
                        new Type[] { ClassType.create(DotNames.CHAT_MODEL_LISTENER) }, null))
                .addInjectionPoint(ParameterizedType.create(DotNames.CDI_INSTANCE,
                        new Type[] { ParameterizedType.create(DotNames.MODEL_BUILDER_CUSTOMIZER,
                                new Type[] { ClassType.create(BUILDER) }, null) },
                        null), AnnotationInstance.builder(Any.class).build());
        if (!NamedConfigUtil.isDefault(name)) {
            c.addQualifier(AnnotationInstance.builder(ModelName.class).add("value", name).build());
        }
        return c;
    }
}
