package io.quarkiverse.rocm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionTool;
import com.openai.models.chat.completions.StructuredChatCompletion;
import com.openai.models.models.Model;

import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The official OpenAI Java SDK, unchanged, pointed at the API: chat, streaming, tools, structured output, errors. */
@QuarkusTest
class OpenAiSdkTest {

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

    static ChatCompletionCreateParams.Builder hello(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("Hello!");
    }

    @Test
    void chat() {
        ChatCompletion c = client.chat().completions().create(hello("default").build());
        assertThat(c.choices().get(0).message().content()).hasValue(TinyModel.DEFAULT_REPLY);
        assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(c.usage().orElseThrow().completionTokens()).isEqualTo(15);
        assertThat(client.chat().completions().create(hello("second").build()).choices().get(0).message().content())
                .hasValue("I am the second model.");
    }

    @Test
    void streaming() {
        StringBuilder text = new StringBuilder();
        int pieces = 0;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                .createStreaming(hello("default").build())) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                    if (choice.delta().content().isPresent() && !choice.delta().content().get().isEmpty()) {
                        text.append(choice.delta().content().get());
                        pieces++;
                    }
                }
            }
        }
        assertThat(text.toString()).isEqualTo(TinyModel.DEFAULT_REPLY);
        assertThat(pieces).isEqualTo(14);
    }

    @Test
    void tools() {
        ChatCompletionTool tool = ChatCompletionTool.ofFunction(ChatCompletionFunctionTool.builder()
                .function(FunctionDefinition.builder().name("forecast").description("Weather of a city")
                        .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty("properties", JsonValue.from(Map.of("city",
                                        Map.of("type", "string"), "days", Map.of("type", "integer"))))
                                .putAdditionalProperty("required", JsonValue.from(List.of("city", "days"))).build())
                        .build())
                .build());
        ChatCompletion c = client.chat().completions().create(hello("default").addTool(tool).build());
        assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageFunctionToolCall call = c.choices().get(0).message().toolCalls().orElseThrow().get(0)
                .asFunction();
        assertThat(call.function().name()).isEqualTo("forecast");
        assertThat(call.function().arguments()).contains("\"days\":1");
    }

    public static class Forecast {
        public String city;
        public long days;
        public boolean sunny;
    }

    @Test
    void structuredOutput() {
        StructuredChatCompletion<Forecast> c = client.chat().completions()
                .create(hello("default").responseFormat(Forecast.class).build());
        Forecast f = c.choices().get(0).message().content().orElseThrow();
        assertThat(f.city).isEqualTo(TinyModel.DEFAULT_REPLY);
        assertThat(f.days).isEqualTo(1);
        assertThat(f.sunny).isTrue();
    }

    @Test
    void models() {
        List<String> ids = client.models().list().data().stream().map(Model::id).toList();
        assertThat(ids).containsExactly("default", "skip", "embed", "rank", "second", "talker", "vision");
        assertThat(client.models().retrieve("second").id()).isEqualTo("second");
    }

    @Test
    void errors() {
        assertThatThrownBy(() -> client.chat().completions().create(hello("gpt-17").build()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> client.chat().completions().create(hello("default").temperature(9.0).build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("temperature");
    }
}
