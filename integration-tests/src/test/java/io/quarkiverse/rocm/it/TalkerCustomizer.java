package io.quarkiverse.rocm.it;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkiverse.langchain4j.ModelBuilderCustomizer;
import io.quarkiverse.langchain4j.ModelName;
import io.quarkiverse.rocm.runtime.langchain4j.RocmChatModel;
import io.quarkiverse.rocm.runtime.langchain4j.RocmChatRequestParameters;

/** The "talker" model ignores its end-of-turn token: it talks until the token limit, or until cancelled. */
@ApplicationScoped
@ModelName("talker")
public class TalkerCustomizer implements ModelBuilderCustomizer<RocmChatModel.Builder> {

    @Override
    public void customize(RocmChatModel.Builder builder) {
        builder.defaultRequestParameters(RocmChatRequestParameters.builder().ignoreEos(true).maxOutputTokens(100_000)
                .build());
    }
}
