package io.quarkiverse.rocm.it;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkiverse.langchain4j.ModelBuilderCustomizer;
import io.quarkiverse.langchain4j.ModelName;
import io.quarkiverse.rocm.runtime.langchain4j.RocmChatModel;
import io.quarkiverse.rocm.runtime.langchain4j.RocmChatRequestParameters;

/** Customizes only the chat model of the model named "second": its answers stop after two tokens. */
@ApplicationScoped
@ModelName("second")
public class SecondModelCustomizer implements ModelBuilderCustomizer<RocmChatModel.Builder> {

    @Override
    public void customize(RocmChatModel.Builder builder) {
        builder.defaultRequestParameters(RocmChatRequestParameters.builder().maxOutputTokens(2).build());
    }
}
