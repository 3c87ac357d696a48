package io.quarkiverse.rocm.runtime.langchain4j;

import java.util.ArrayList;
import java.util.List;

import io.quarkiverse.rocm.runtime.client.LlamaServerClients;
import io.quarkiverse.rocm.runtime.config.ChatModelConfig;
import io.quarkiverse.rocm.runtime.config.RocmRuntimeConfig;
import io.quarkiverse.rocm.runtime.server.ModelServer;

/** Builders of chat models from a model's configuration. */
public final class RocmChatModels {

    private RocmChatModels() {
    }

    /**
     * A builder with the client and defaults of the configured model {@code modelName}, or of the model whose LoRA
     * adapter {@code modelName} names (its requests then apply that adapter).
     */
    public static RocmChatModel.Builder builder(RocmRuntimeConfig config, LlamaServerClients clients, String modelName) {
        ModelServer server = clients.servers().byAdapter(modelName)
                .orElseGet(() -> clients.servers().require(modelName));
        boolean adapter = !server.name().equals(modelName);
        // the model's name in the requests and their parameters, where listeners read it (span names)
        String apiName = adapter ? modelName : server.spec().alias();
        ChatModelConfig c = config.models().get(server.name()).chatModel();
        RocmChatRequestParameters.Builder p = RocmChatRequestParameters.builder();
        c.temperature().ifPresent(p::temperature);
        c.topP().ifPresent(p::topP);
        c.topK().ifPresent(p::topK);
        c.minP().ifPresent(p::minP);
        c.repeatPenalty().ifPresent(p::repeatPenalty);
        c.seed().ifPresent(p::seed);
        c.maxTokens().ifPresent(p::maxOutputTokens);
        c.stop().ifPresent(s -> p.stopSequences(new ArrayList<>(s)));
        p.cachePrompt(c.cachePrompt());
        p.modelName(apiName);
        return RocmChatModel.builder().client(clients.client(server.name())).modelName(apiName)
                .defaultRequestParameters(p.build()).timeout(c.timeout()).logRequests(c.logRequests())
                .logResponses(c.logResponses()).listeners(List.of()).captureContent(config.captureContent());
    }
}
