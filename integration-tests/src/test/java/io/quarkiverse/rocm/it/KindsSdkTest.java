package io.quarkiverse.rocm.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;

import io.quarkiverse.rocm.testing.TinyAdapter;
import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkiverse.rocm.testing.TinyProjector;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The demo's vision model and LoRA adapter through the official OpenAI Java SDK: an image part reaches the vision
 * model (its prompt grows by the image's tokens), the adapter is a model of its own (listed with its parent) whose
 * reply is the adapter's while the default model keeps its own.
 */
@QuarkusTest
class KindsSdkTest {

    /** A 1x1 PNG. */
    static final String PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";

    @TestHTTPResource("/v1")
    URL v1;

    OpenAIClient client;

    @BeforeEach
    void connect() {
        client = OpenAIOkHttpClient.builder().baseUrl(v1.toString()).apiKey("unused").maxRetries(0).build();
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void anImageReachesTheVisionModel() {
        ChatCompletionContentPart text = ChatCompletionContentPart
                .ofText(ChatCompletionContentPartText.builder().text("What is this?").build());
        ChatCompletion plain = client.chat().completions().create(ChatCompletionCreateParams.builder().model("vision")
                .addUserMessageOfArrayOfContentParts(List.of(text)).temperature(0.0).build());
        ChatCompletion withImage = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("vision").addUserMessageOfArrayOfContentParts(List.of(text, ChatCompletionContentPart
                        .ofImageUrl(ChatCompletionContentPartImage.builder().imageUrl(
                                ChatCompletionContentPartImage.ImageUrl.builder().url(PNG).build()).build())))
                .temperature(0.0).build());
        assertThat(withImage.choices().get(0).message().content()).contains(TinyModel.DEFAULT_REPLY);
        assertThat(withImage.usage().orElseThrow().promptTokens())
                .isEqualTo(plain.usage().orElseThrow().promptTokens() + TinyProjector.IMAGE_TOKENS);
    }

    @Test
    void theAdapterIsAModelOfItsOwn() {
        Model skip = client.models().retrieve("skip");
        assertThat(skip._additionalProperties().get("parent")).isEqualTo(JsonValue.from("default"));
        assertThat(client.chat().completions().create(ChatCompletionCreateParams.builder().model("skip")
                .addUserMessage("Hello!").temperature(0.0).build()).choices().get(0).message().content())
                .contains(TinyAdapter.of(TinyModel.defaults(), 1).reply());
        assertThat(client.chat().completions().create(ChatCompletionCreateParams.builder().model("default")
                .addUserMessage("Hello!").temperature(0.0).build()).choices().get(0).message().content())
                .contains(TinyModel.DEFAULT_REPLY);
    }
}
