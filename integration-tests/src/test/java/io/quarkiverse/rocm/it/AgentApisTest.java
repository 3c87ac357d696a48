package io.quarkiverse.rocm.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.errors.NotFoundException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolUseBlock;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;

import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The APIs agents speak, with their official clients unchanged: OpenAI's Responses API (the OpenAI Java SDK's
 * {@code responses()}) and Anthropic's Messages API (Anthropic's Java SDK, base URL the application's root), whole,
 * streamed and with tools, token counts equal to llama-server's, errors in each API's shape; llama-server's own
 * {@code /tokenize} and {@code /detokenize}, routed by {@code model}.
 */
@QuarkusTest
class AgentApisTest {

    @TestHTTPResource("/")
    URL root;

    OpenAIClient openai;
    AnthropicClient anthropic;

    @BeforeEach
    void connect() {
        String base = root.toString().replaceAll("/$", "");
        openai = OpenAIOkHttpClient.builder().baseUrl(base + "/v1").apiKey("unused").maxRetries(0).build();
        anthropic = AnthropicOkHttpClient.builder().baseUrl(base).apiKey("unused").maxRetries(0).build();
    }

    @AfterEach
    void close() {
        openai.close();
        anthropic.close();
    }

    static FunctionTool weatherFunction() {
        return FunctionTool.builder().name("get_weather").strict(false).parameters(FunctionTool.Parameters.builder()
                .putAdditionalProperty("type", com.openai.core.JsonValue.from("object"))
                .putAdditionalProperty("properties", com.openai.core.JsonValue.from(Map.of("city", Map.of("type",
                        "string"))))
                .build()).build();
    }

    static Tool weatherTool() {
        return Tool.builder().name("get_weather").inputSchema(Tool.InputSchema.builder()
                .properties(JsonValue.from(Map.of("city", Map.of("type", "string")))).addRequired("city").build())
                .build();
    }

    @Test
    void responses() {
        Response r = openai.responses().create(ResponseCreateParams.builder().model("second").input("Hi")
                .instructions("Be brief.").build());
        assertThat(r.output().get(0).asMessage().content().get(0).asOutputText().text())
                .isEqualTo("I am the second model.");
        assertThat(r.usage().orElseThrow().inputTokens()).isPositive();

        StringBuilder streamed = new StringBuilder();
        long[] completed = { 0 };
        try (var events = openai.responses().createStreaming(ResponseCreateParams.builder().model("default")
                .input("Hi").build())) {
            events.stream().forEach(e -> {
                if (e.isOutputTextDelta()) {
                    streamed.append(e.asOutputTextDelta().delta());
                } else if (e.isCompleted()) {
                    completed[0] = e.asCompleted().response().usage().orElseThrow().outputTokens();
                }
            });
        }
        assertThat(streamed.toString()).isEqualTo(TinyModel.DEFAULT_REPLY);
        assertThat(completed[0]).as("the final event's usage").isPositive();

        Response call = openai.responses().create(ResponseCreateParams.builder().model("default")
                .input("What is the weather in Paris?").addTool(weatherFunction()).build());
        ResponseFunctionToolCall fc = call.output().get(0).asFunctionCall();
        assertThat(fc.name()).isEqualTo("get_weather");
        assertThat(fc.arguments()).startsWith("{");

        assertThatThrownBy(() -> openai.responses().create(ResponseCreateParams.builder().model("gpt-17")
                .input("Hi").build())).isInstanceOf(com.openai.errors.NotFoundException.class)
                .hasMessageContaining("gpt-17");
    }

    @Test
    void anthropicMessages() {
        Message m = anthropic.messages().create(MessageCreateParams.builder().model("second").maxTokens(64)
                .system("Be brief.").addUserMessage("Hi").build());
        assertThat(m.content().get(0).asText().text()).isEqualTo("I am the second model.");
        assertThat(m.stopReason()).contains(StopReason.END_TURN);
        assertThat(m.usage().outputTokens()).isPositive();

        String streamed;
        try (var events = anthropic.messages().createStreaming(MessageCreateParams.builder().model("second")
                .maxTokens(64).addUserMessage("Hi").build())) {
            streamed = events.stream().filter(e -> e.isContentBlockDelta())
                    .map(e -> e.asContentBlockDelta().delta().text().map(t -> t.text()).orElse(""))
                    .collect(Collectors.joining());
        }
        assertThat(streamed).isEqualTo("I am the second model.");

        MessageAccumulator accumulated = MessageAccumulator.create();
        try (var events = anthropic.messages().createStreaming(MessageCreateParams.builder().model("second")
                .maxTokens(200).addUserMessage("What is the weather in Paris?").addTool(weatherTool()).build())) {
            events.stream().forEach(accumulated::accumulate);
        }
        ToolUseBlock use = accumulated.message().content().get(0).asToolUse();
        assertThat(use.name()).isEqualTo("get_weather");
        assertThat(accumulated.message().stopReason()).contains(StopReason.TOOL_USE);

        long counted = anthropic.messages().countTokens(MessageCountTokensParams.builder().model("second")
                .system("Be brief.").addUserMessage("Hi").build()).inputTokens();
        int chat = given().contentType(ContentType.JSON).body("{\"model\":\"second\",\"messages\":[{\"role\":"
                + "\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(200).extract().path("usage.prompt_tokens");
        assertThat(counted).as("the same prompt as a chat request").isEqualTo(chat);

        assertThatThrownBy(() -> anthropic.messages().create(MessageCreateParams.builder().model("claude-17")
                .maxTokens(5).addUserMessage("Hi").build())).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("claude-17");
    }

    @Test
    void anthropicErrorsHaveAnthropicsShape() {
        given().contentType(ContentType.JSON).body("{\"model\":\"default\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Hi\"}]}").post("/v1/messages").then().statusCode(400)
                .body("type", equalTo("error")).body("error.type", equalTo("invalid_request_error"))
                .body("error.message", equalTo("max_tokens: Field required."));
        given().contentType(ContentType.JSON).body("{\"model\":\"nope\",\"max_tokens\":5,\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"Hi\"}]}").post("/v1/messages").then().statusCode(404)
                .body("type", equalTo("error")).body("error.type", equalTo("not_found_error"))
                .body("error.message", containsString("'nope'"));
        given().contentType(ContentType.JSON).body("{\"model\":\"embed\",\"max_tokens\":5,\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"Hi\"}]}").post("/v1/messages").then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.message", containsString("only serves embeddings"));
        given().contentType(ContentType.JSON).body("{\"model\":\"default\",\"messages\":[]}")
                .post("/v1/messages/count_tokens").then().statusCode(400).body("type", equalTo("error"));
        // the default model has a LoRA adapter, whose choice llama-server's Messages API would drop
        given().contentType(ContentType.JSON).body("{\"model\":\"default\",\"max_tokens\":5,\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"Hi\"}]}").post("/v1/messages").then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.message", containsString("quarkus.rocm.lora.*"));
    }

    @Test
    void tokenizeAndDetokenizeByModel() {
        for (String prefix : List.of("", "/v1")) {
            List<Integer> tokens = given().contentType(ContentType.JSON)
                    .body("{\"model\":\"default\",\"content\":\"Hello world\"}").post(prefix + "/tokenize").then()
                    .statusCode(200).extract().jsonPath().getList("tokens", Integer.class);
            assertThat(tokens).isNotEmpty();
            given().contentType(ContentType.JSON).body("{\"model\":\"default\",\"tokens\":" + tokens + "}")
                    .post(prefix + "/detokenize").then().statusCode(200).body("content", equalTo("Hello world"));
        }
        given().contentType(ContentType.JSON).body("{\"model\":\"nope\",\"content\":\"x\"}").post("/tokenize").then()
                .statusCode(404).body("error.code", equalTo("model_not_found"));
        given().contentType(ContentType.JSON).body("{\"model\":\"default\",\"content\":42}").post("/tokenize").then()
                .statusCode(400).body("error.param", equalTo("content"));
    }

    @Test
    void aRequestThatCannotFitTheContextIsRefusedBeforeItTakesASlot() {
        String hi = "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";
        // the demo's context: 4096 tokens per request; "Hi" is about 20 with the template
        given().contentType(ContentType.JSON).body("{\"model\":\"default\"," + hi + ",\"max_tokens\":4000}")
                .post("/v1/chat/completions").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"model\":\"default\"," + hi + ",\"max_tokens\":4090}")
                .post("/v1/chat/completions").then().statusCode(400)
                .body("error.code", equalTo("context_length_exceeded"))
                .body("error.message", containsString("up to 4090 tokens of answer"))
                .body("error.message", containsString("the 4096 tokens per request of model 'default'"))
                .body("error.message", containsString("quarkus.rocm.context-size"));
        given().contentType(ContentType.JSON).body("{\"model\":\"second\"," + hi + ",\"max_tokens\":4090}")
                .post("/v1/messages").then().statusCode(400).body("type", equalTo("error"))
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.message", containsString("quarkus.rocm.second.context-size"));
        given().contentType(ContentType.JSON).body("{\"model\":\"default\",\"input\":\"Hi\",\"max_output_tokens\":4090}")
                .post("/v1/responses").then().statusCode(400).body("error.code", equalTo("context_length_exceeded"));
        // a prompt larger than the context alone, without max_tokens
        String huge = "a ".repeat(5000);
        given().contentType(ContentType.JSON).body("{\"model\":\"default\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"" + huge + "\"}]}").post("/v1/chat/completions").then().statusCode(400)
                .body("error.code", equalTo("context_length_exceeded"))
                .body("error.message", containsString("quarkus.rocm.context-size"));
    }

    @Test
    void everyRouteIsCountedByEndpoint() {
        given().contentType(ContentType.JSON).body("{\"model\":\"second\",\"max_tokens\":8,\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"Hi\"}]}").post("/v1/messages").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"model\":\"second\",\"input\":\"Hi\"}").post("/v1/responses")
                .then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"model\":\"second\",\"content\":\"Hi\"}").post("/tokenize")
                .then().statusCode(200);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String endpoint : List.of("/v1/messages", "/v1/responses", "/tokenize")) {
            assertThat(metrics).contains("rocm_requests_total{endpoint=\"" + endpoint
                    + "\",model=\"second\",status=\"200\"}");
        }
    }
}
