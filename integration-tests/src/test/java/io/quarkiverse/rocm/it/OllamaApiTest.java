package io.quarkiverse.rocm.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaEmbeddingModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Ollama's API with LangChain4j's Ollama client unchanged (base URL the application's root): chat whole and streamed,
 * tools, embeddings; and the shapes Ollama's other clients rely on: NDJSON parts, {@code /api/tags} names with
 * {@code :latest}, {@code /api/show}'s details and {@code model_info}, {@code /api/ps}, {@code /api/version}, errors.
 */
@QuarkusTest
class OllamaApiTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL root;

    String base() {
        return root.toString().replaceAll("/$", "");
    }

    @Test
    void langChain4jsOllamaChatModel() throws Exception {
        OllamaChatModel chat = OllamaChatModel.builder().baseUrl(base()).modelName("second").temperature(0.0)
                .timeout(Duration.ofSeconds(60)).build();
        ChatResponse whole = chat.chat(ChatRequest.builder().messages(UserMessage.from("Hi")).build());
        assertThat(whole.aiMessage().text()).isEqualTo("I am the second model.");
        assertThat(whole.tokenUsage().inputTokenCount()).isPositive();
        assertThat(whole.tokenUsage().outputTokenCount()).isPositive();

        OllamaStreamingChatModel streaming = OllamaStreamingChatModel.builder().baseUrl(base()).modelName("default:latest")
                .temperature(0.0).timeout(Duration.ofSeconds(60)).build();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        StringBuilder pieces = new StringBuilder();
        int[] count = { 0 };
        streaming.chat("Hi", new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                pieces.append(partial);
                count[0]++;
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        ChatResponse streamed = done.get(60, TimeUnit.SECONDS);
        assertThat(pieces.toString()).isEqualTo(TinyModel.DEFAULT_REPLY);
        assertThat(count[0]).as("streamed in parts").isGreaterThan(1);
        assertThat(streamed.aiMessage().text()).isEqualTo(TinyModel.DEFAULT_REPLY);
        assertThat(streamed.tokenUsage().outputTokenCount()).isPositive();

        ChatResponse call = chat.chat(ChatRequest.builder().messages(UserMessage.from("What is the weather in Paris?"))
                .toolSpecifications(ToolSpecification.builder().name("get_weather").parameters(JsonObjectSchema
                        .builder().addStringProperty("city").required("city").build()).build())
                .build());
        assertThat(call.aiMessage().hasToolExecutionRequests()).isTrue();
        assertThat(call.aiMessage().toolExecutionRequests().get(0).name()).isEqualTo("get_weather");
        assertThat(JSON.readTree(call.aiMessage().toolExecutionRequests().get(0).arguments()).isObject()).isTrue();
    }

    @Test
    void langChain4jsOllamaEmbeddingModel() {
        OllamaEmbeddingModel embed = OllamaEmbeddingModel.builder().baseUrl(base()).modelName("embed")
                .timeout(Duration.ofSeconds(60)).build();
        float[] hello = embed.embed("Hello").content().vector();
        float[] again = embed.embed("Hello").content().vector();
        float[] other = embed.embed("Completely different words").content().vector();
        assertThat(hello).hasSizeGreaterThan(8).containsExactly(again);
        assertThat(hello).isNotEqualTo(other);
    }

    @Test
    void theShapesOllamasClientsReadAsOllamaSendsThem() throws Exception {
        String[] lines = given().contentType(ContentType.JSON)
                .body("{\"model\":\"second\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}").post("/api/chat")
                .then().statusCode(200).contentType("application/x-ndjson").extract().asString().split("\n");
        assertThat(lines.length).as("parts, then the final one").isGreaterThan(2);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            JsonNode part = JSON.readTree(lines[i]);
            assertThat(part.path("model").asText()).isEqualTo("second");
            assertThat(part.path("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
            assertThat(part.path("done").asBoolean()).isEqualTo(i == lines.length - 1);
            text.append(part.path("message").path("content").asText());
        }
        JsonNode last = JSON.readTree(lines[lines.length - 1]);
        assertThat(text.toString()).isEqualTo("I am the second model.");
        assertThat(last.path("done_reason").asText()).isEqualTo("stop");
        assertThat(last.path("eval_count").asInt()).isPositive();
        assertThat(last.path("prompt_eval_count").asInt()).isPositive();
        assertThat(last.path("total_duration").asLong()).isPositive();

        given().contentType(ContentType.JSON).body("{\"model\":\"second\",\"prompt\":\"Hi\",\"stream\":false}")
                .post("/api/generate").then().statusCode(200).body("response", equalTo("I am the second model."))
                .body("done", equalTo(true));
        given().get("/api/tags").then().statusCode(200).body("models.name", hasItem("default:latest"))
                .body("models.name", hasItem("skip:latest")).body("models.details.format", hasItem("gguf"));
        given().contentType(ContentType.JSON).body("{\"model\":\"default\"}").post("/api/show").then().statusCode(200)
                .body("details.family", equalTo("llama")).body("model_info.'general.architecture'", equalTo("llama"))
                .body("model_info.'llama.context_length'", equalTo(4096)).body("capabilities", hasItem("completion"));
        List<String> loaded = given().get("/api/ps").then().statusCode(200).extract().jsonPath()
                .getList("models.name", String.class);
        assertThat(loaded).contains("second:latest");
        given().get("/api/version").then().statusCode(200).body("version", org.hamcrest.Matchers.matchesRegex(
                "\\d+\\.\\d+\\.\\d+"));
        given().contentType(ContentType.JSON).body("{\"model\":\"nope\",\"messages\":[]}").post("/api/chat").then()
                .statusCode(404).body("error", equalTo("model 'nope' not found"));
        given().contentType(ContentType.JSON).body("{\"model\":\"embed\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Hi\"}]}").post("/api/chat").then().statusCode(400)
                .body("error", org.hamcrest.Matchers.startsWith("\"embed\" does not support chat"));
        given().contentType(ContentType.JSON).body("{\"model\":\"second\",\"prompt\":\"Hi\",\"raw\":true,"
                + "\"system\":\"x\"}").post("/api/generate").then().statusCode(400)
                .body("error", equalTo("raw mode does not support template, system, or context"));
    }
}
