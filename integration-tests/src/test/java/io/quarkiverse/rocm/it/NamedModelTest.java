package io.quarkiverse.rocm.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.langchain4j.ModelName;
import io.quarkiverse.rocm.runtime.langchain4j.RocmChatModel;
import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkus.test.junit.QuarkusTest;

/** A named model has its own server and chat model; customizers apply to the model they name only. */
@QuarkusTest
class NamedModelTest {

    @Inject
    RocmChatModel defaultModel;

    @Inject
    @ModelName("second")
    RocmChatModel second;

    @Test
    void eachModelAnswersFromItsOwnServer() {
        assertThat(defaultModel.chat("Hi")).isEqualTo(TinyModel.DEFAULT_REPLY);
        assertThat(second.modelName()).isEqualTo("second");
        assertThat(second.client().server().pid()).isNotEqualTo(defaultModel.client().server().pid());
    }

    @Test
    void theCustomizerOfTheSecondModelAppliesToItAlone() {
        // the customizer limits the second model's answers to two tokens: "I am", " the"
        assertThat(second.chat("Hi")).isEqualTo("I am the");
        assertThat(second.defaultRequestParameters().maxOutputTokens()).isEqualTo(2);
        assertThat(defaultModel.defaultRequestParameters().maxOutputTokens()).isNull();
    }
}
