package io.quarkiverse.rocm.deployment;

import java.util.List;
import java.util.Map;

import io.quarkus.builder.item.SimpleBuildItem;

/** The AI services that use tools on a rocm model, with their tools, by the model's configuration name. */
public final class AiServicesWithToolsBuildItem extends SimpleBuildItem {

    private final Map<String, List<String>> byModel;

    AiServicesWithToolsBuildItem(Map<String, List<String>> byModel) {
        this.byModel = Map.copyOf(byModel);
    }

    public Map<String, List<String>> byModel() {
        return byModel;
    }
}
