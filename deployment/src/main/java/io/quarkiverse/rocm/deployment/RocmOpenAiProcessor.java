package io.quarkiverse.rocm.deployment;

import java.util.function.BooleanSupplier;

import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;

import io.quarkiverse.rocm.runtime.rest.OpenAiResource;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.AdditionalIndexedClassesBuildItem;
import io.quarkus.deployment.builditem.CombinedIndexBuildItem;
import io.quarkus.resteasy.reactive.spi.AdditionalResourceClassBuildItem;
import io.quarkus.runtime.configuration.ConfigurationException;

/** The OpenAI-compatible API: only with {@code quarkus.rocm.openai.enabled=true}, and only on quarkus-rest. */
class RocmOpenAiProcessor {

    static final DotName RESOURCE = DotName.createSimple(OpenAiResource.class);

    static class Enabled implements BooleanSupplier {
        RocmBuildTimeConfig config;

        @Override
        public boolean getAsBoolean() {
            return config.openai().enabled();
        }
    }

    @BuildStep(onlyIf = Enabled.class)
    void index(Capabilities capabilities, BuildProducer<AdditionalIndexedClassesBuildItem> index,
            BuildProducer<AdditionalBeanBuildItem> beans) {
        if (!capabilities.isPresent(Capability.REST)) {
            throw new ConfigurationException("quarkus.rocm.openai.enabled=true needs the quarkus-rest extension: add"
                    + " io.quarkus:quarkus-rest to the application, or remove the property.");
        }
        index.produce(new AdditionalIndexedClassesBuildItem(OpenAiResource.class.getName()));
        // indexed alone it would not be a bean, and every call would fail
        beans.produce(AdditionalBeanBuildItem.unremovableOf(OpenAiResource.class));
    }

    @BuildStep(onlyIf = Enabled.class)
    void resource(RocmBuildTimeConfig config, CombinedIndexBuildItem index,
            BuildProducer<AdditionalResourceClassBuildItem> resources) {
        ClassInfo resource = index.getIndex().getClassByName(RESOURCE);
        String path = config.openai().path();
        resources.produce(new AdditionalResourceClassBuildItem(resource, path.startsWith("/") ? path : "/" + path));
    }
}
