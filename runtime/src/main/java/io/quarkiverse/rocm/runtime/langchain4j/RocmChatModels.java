package io.quarkiverse.rocm.runtime.langchain4j;

import java.util.ArrayList;
import java.util.List;

import io.quarkiverse.rocm.runtime.client.LlamaServerClients;
import io.quarkiverse.rocm.runtime.config.ChatModelConfig;
import io.quarkiverse.rocm.runtime.config.RocmRuntimeConfig;

/** Builders of chat models from a model's configuration. */
public final class RocmChatModels {

    private RocmChatModels() {
    }

    /** A builder with the client and defaults of the configured model {@code modelName}. */
    public static RocmChatModel.Builder builder(RocmRuntimeConfig config, LlamaServerClients clients, String modelName) {
        ChatModelConfig c = config.models().get(modelName).chatModel();
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
        // the model's name in the requests' parameters, where listeners read it (quarkus-langchain4j's span names)
        p.modelName(clients.servers().require(modelName).spec().alias());
        return RocmChatModel.builder().client(clients.client(modelName)).defaultRequestParameters(p.build())
                .timeout(c.timeout()).logRequests(c.logRequests()).logResponses(c.logResponses()).listeners(List.of())
                .captureContent(config.captureContent());
    }
}
