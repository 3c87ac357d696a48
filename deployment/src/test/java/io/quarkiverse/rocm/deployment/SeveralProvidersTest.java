package io.quarkiverse.rocm.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.quarkiverse.rocm.runtime.langchain4j.RocmChatModel;
import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkus.test.QuarkusUnitTest;

/** With the OpenAI provider present too, quarkus.langchain4j.chat-model.provider=rocm selects this one. */
public class SeveralProvidersTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
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
    void theRocmProviderServesTheChatModels() throws Exception {
        assertThat(chat.chat("Hi")).isEqualTo(TinyModel.DEFAULT_REPLY);
        assertThat(chat.toString()).contains(RocmChatModel.class.getSimpleName());
        CompletableFuture<ChatResponse> answer = new CompletableFuture<>();
        streaming.chat("Hi", new StreamingChatResponseHandler() {
            @Override
            public void onCompleteResponse(ChatResponse response) {
                answer.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                answer.completeExceptionally(error);
            }
        });
        assertThat(answer.get(60, TimeUnit.SECONDS).aiMessage().text()).isEqualTo(TinyModel.DEFAULT_REPLY);
    }
}
