package io.quarkiverse.rocm.deployment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.logging.Logger;

import io.quarkiverse.langchain4j.deployment.DeclarativeAiServiceBuildItem;
import io.quarkiverse.langchain4j.deployment.items.SelectedChatModelProviderBuildItem;
import io.quarkiverse.rocm.runtime.config.RocmRuntimeConfig;
import io.quarkiverse.rocm.runtime.gguf.GgufException;
import io.quarkiverse.rocm.runtime.gguf.GgufMetadata;
import io.quarkiverse.rocm.runtime.gguf.GgufReader;
import io.quarkiverse.rocm.runtime.spec.ServerSpec;
import io.quarkus.deployment.annotations.BuildStep;

/**
 * Which AI services call tools on which rocm model: the runtime warns at ready when llama-server says the model's chat
 * template cannot ({@code /props}), and the build warns already when the GGUF it can see has a template that never
 * mentions tools.
 */
class RocmToolSupportProcessor {

    private static final Logger LOG = Logger.getLogger(RocmToolSupportProcessor.class);
    private static final DotName TOOL_BOX = DotName.createSimple("io.quarkiverse.langchain4j.ToolBox");

    @BuildStep
    AiServicesWithToolsBuildItem aiServicesWithTools(List<DeclarativeAiServiceBuildItem> services,
            List<SelectedChatModelProviderBuildItem> selected) {
        Map<String, List<String>> byModel = new TreeMap<>();
        for (DeclarativeAiServiceBuildItem service : services) {
            String model = service.getChatModelName();
            boolean rocm = selected.stream().anyMatch(s -> s.getConfigName().equals(model)
                    && RocmChatModelProcessor.PROVIDER.equals(s.getProvider()));
            List<String> tools = tools(service);
            if (rocm && !tools.isEmpty()) {
                byModel.computeIfAbsent(model, m -> new ArrayList<>())
                        .add(service.getServiceClassInfo().simpleName() + " (tools: " + String.join(", ", tools) + ")");
            }
        }
        byModel.forEach(RocmToolSupportProcessor::checkTemplateAtBuild);
        return new AiServicesWithToolsBuildItem(byModel);
    }

    private static List<String> tools(DeclarativeAiServiceBuildItem service) {
        List<String> tools = new ArrayList<>();
        for (ClassInfo tool : service.getToolClassInfos()) {
            tools.add(tool.simpleName());
        }
        DotName provider = service.getToolProviderClassDotName();
        // the defaults of @RegisterAiService(toolProviderSupplier): a ToolProvider bean if there is one, or none
        if (provider != null && !provider.toString().endsWith("BeanIfExistsToolProviderSupplier")
                && !provider.toString().endsWith("NoToolProviderSupplier")) {
            tools.add(provider.withoutPackagePrefix());
        }
        if (service.getServiceClassInfo().hasDeclaredAnnotation(TOOL_BOX)
                || service.getServiceClassInfo().methods().stream().anyMatch(m -> m.hasAnnotation(TOOL_BOX))) {
            tools.add("@ToolBox");
        }
        return tools;
    }

    /** Where the build can read the model's GGUF: a template without any mention of tools cannot render them. */
    private static void checkTemplateAtBuild(String model, List<String> services) {
        Optional<Path> path = ConfigProvider.getConfig().getOptionalValue(ServerSpec.property(model, "model.path"),
                Path.class);
        if (path.isEmpty() || !Files.isRegularFile(path.get())) {
            return; // not known at build time (set at run time, or model.dir): checked when the server is ready
        }
        GgufMetadata meta;
        try {
            meta = GgufReader.read(path.get());
        } catch (GgufException e) {
            return; // reported by the start with the property's name
        }
        String template = meta.chatTemplate().orElse("");
        if (!template.contains("tool")) {
            LOG.warnf("AI service%s %s use%s tools, but the chat template of model '%s' (%s) %s: llama-server will"
                    + " ignore the tools. Give it a template that supports them (%s=--chat-template-file,"
                    + "/path/to/template.jinja) or use a model that can call tools.",
                    services.size() == 1 ? "" : "s", String.join(", ", services), services.size() == 1 ? "s" : "",
                    RocmRuntimeConfig.DEFAULT_MODEL.equals(model) ? "default" : model, path.get(),
                    template.isEmpty() ? "is missing" : "never mentions tools",
                    ServerSpec.property(model, "args"));
        }
    }
}
