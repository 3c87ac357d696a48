package io.quarkiverse.rocm.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import io.quarkiverse.rocm.runtime.langchain4j.RocmChatModel;
import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkus.test.QuarkusExtensionTest;

/** With the OpenAI provider present too, quarkus.langchain4j.chat-model.provider=rocm selects this one. */
public class SeveralProvidersTest {

    @RegisterExtension
    static final QuarkusExtensionTest app = new QuarkusExtensionTest()
            .withApplicationRoot(jar -> jar.addClass(TestModels.class))
            .overrideConfigKey("quarkus.rocm.model.path", TestModels.tiny().toString())
            .overrideConfigKey("quarkus.rocm.threads", "1")
            .overrideConfigKey("quarkus.langchain4j.chat-model.provider", "rocm")
            .overrideConfigKey("quarkus.langchain4j.openai.api-key", "unused");

    @Inject
    ChatModel chat;

    @Inject
    StreamingChatModel streaming;

    @Test
    void theRocmProviderServesTheChatModels() {
        assertThat(chat.chat("Hi")).isEqualTo(TinyModel.DEFAULT_REPLY);
        assertThat(streaming).isNotNull();
        assertThat(chat.toString()).contains(RocmChatModel.class.getSimpleName());
    }
}
