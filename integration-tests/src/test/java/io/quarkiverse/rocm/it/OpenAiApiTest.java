package io.quarkiverse.rocm.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;

/** The OpenAI-compatible API over HTTP, against the real llama-server. */
@QuarkusTest
class OpenAiApiTest {

    static final String REPLY = TinyModel.DEFAULT_REPLY;
    static final String HELLO = "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";

    @TestHTTPResource("/v1")
    URL v1;

    @Test
    void modelsListsTheConfiguredModelsWithTheirGgufMetadata() {
        given().get("/v1/models").then().statusCode(200).contentType(ContentType.JSON)
                .body("object", equalTo("list")).body("data.id", hasItems("default", "second"))
                .body("data.find { it.id == 'default' }.meta.architecture", equalTo("llama"))
                .body("data.find { it.id == 'default' }.meta.n_ctx_train", equalTo(4096))
                .body("data.find { it.id == 'default' }.meta.file_type", equalTo("F32"));
        given().get("/v1/models/second").then().statusCode(200).body("id", equalTo("second"))
                .body("owned_by", equalTo("quarkus-rocm"));
        given().get("/v1/models/nope").then().statusCode(404).body("error.code", equalTo("model_not_found"));
    }

    @Test
    void aWholeChatCompletion() {
        given().contentType(ContentType.JSON).body(HELLO + "}").post("/v1/chat/completions").then().statusCode(200)
                .contentType(ContentType.JSON).body("object", equalTo("chat.completion"))
                .body("model", equalTo("default"))
                .body("choices[0].message.content", equalTo(REPLY))
                .body("choices[0].finish_reason", equalTo("stop"))
                .body("usage.completion_tokens", equalTo(15));
    }

    @Test
    void requestsAreRoutedByModel() {
        given().contentType(ContentType.JSON).body(HELLO + ",\"model\":\"second\"}").post("/v1/chat/completions")
                .then().statusCode(200).body("model", equalTo("second"))
                .body("choices[0].message.content", equalTo("I am the second model."));
    }

    @Test
    void aStreamedChatCompletionTokenByToken() throws Exception {
        Sse.Answer a = Sse.read(Sse.post(v1 + "/chat/completions", HELLO + ",\"stream\":true}").build());
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.contentType()).startsWith("text/event-stream");
        assertThat(a.data()).last().isEqualTo("[DONE]");
        assertThat(a.text()).isEqualTo(REPLY);
        List<JsonObject> chunks = a.chunks();
        long contentDeltas = chunks.stream().filter(c -> !c.getJsonArray("choices").isEmpty())
                .map(c -> c.getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getString("content"))
                .filter(t -> t != null && !t.isEmpty()).count();
        assertThat(contentDeltas).isEqualTo(14);
        assertThat(chunks).as("no usage chunk unless asked for").noneMatch(c -> c.containsKey("usage"));

        Sse.Answer withUsage = Sse.read(Sse.post(v1 + "/chat/completions",
                HELLO + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}").build());
        JsonObject usage = withUsage.chunks().get(withUsage.chunks().size() - 1);
        assertThat(usage.getJsonArray("choices")).isEmpty();
        assertThat(usage.getJsonObject("usage").getInteger("completion_tokens")).isEqualTo(15);
    }

    @Test
    void completions() throws Exception {
        given().contentType(ContentType.JSON).body("{\"prompt\":\"Once upon a time\",\"max_tokens\":3}")
                .post("/v1/completions").then().statusCode(200).body("choices[0].text", equalTo("Hello! I am a tiny"))
                .body("choices[0].finish_reason", equalTo("length"));
        Sse.Answer a = Sse.read(Sse.post(v1 + "/completions", "{\"prompt\":\"Hi\",\"stream\":true}").build());
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.text()).isEqualTo(REPLY);
    }

    @Test
    void toolsThroughTheApi() {
        String tools = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"forecast\",\"parameters\":"
                + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},\"days\":{\"type\":\"integer\"}},"
                + "\"required\":[\"city\",\"days\"]}}}]}";
        given().contentType(ContentType.JSON).body(HELLO + tools).post("/v1/chat/completions").then().statusCode(200)
                .body("choices[0].finish_reason", equalTo("tool_calls"))
                .body("choices[0].message.tool_calls[0].function.name", equalTo("forecast"))
                .body("choices[0].message.tool_calls[0].function.arguments", containsString("\"days\":1"));
    }

    @Test
    void aJsonSchemaThroughTheApi() {
        String format = ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"f\",\"schema\":"
                + "{\"type\":\"object\",\"properties\":{\"sunny\":{\"type\":\"boolean\"},\"days\":{\"type\":\"integer\"}},"
                + "\"required\":[\"sunny\",\"days\"]}}}}";
        String content = given().contentType(ContentType.JSON).body(HELLO + format).post("/v1/chat/completions").then()
                .statusCode(200).extract().path("choices[0].message.content");
        assertThat(new JsonObject(content).getMap()).containsEntry("sunny", true).containsEntry("days", 1);
    }

    @Test
    void badRequestsGetOpenAiShapedErrors() {
        given().contentType(ContentType.JSON).body("{not json").post("/v1/chat/completions").then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.message", containsString("could not parse the JSON body"));
        given().contentType(ContentType.JSON).body("{\"messages\":[]}").post("/v1/chat/completions").then()
                .statusCode(400).body("error.param", equalTo("messages"));
        given().contentType(ContentType.JSON).body(HELLO + ",\"temperature\":7}").post("/v1/chat/completions").then()
                .statusCode(400).body("error.param", equalTo("temperature"));
        given().contentType(ContentType.JSON).body("{\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}")
                .post("/v1/chat/completions").then().statusCode(400).body("error.param", equalTo("messages[0].role"));
        given().contentType(ContentType.JSON).body(HELLO + ",\"model\":\"gpt-17\"}").post("/v1/chat/completions").then()
                .statusCode(404).body("error.code", equalTo("model_not_found"))
                .body("error.message", containsString("Available models: default, skip, embed, rank, second, talker, vision"));
        given().contentType(ContentType.JSON).body("{\"input\":\"x\"}").post("/v1/embeddings").then().statusCode(400)
                .body("error.message", containsString("does not serve embeddings"));
        given().contentType(ContentType.JSON).body(HELLO + ",\"model\":\"embed\"}").post("/v1/chat/completions").then()
                .statusCode(400).body("error.param", equalTo("model"))
                .body("error.message", containsString("'embed' only serves embeddings: send its requests to the"
                        + " embeddings endpoint (.../embeddings), or choose another model (available: default, skip, embed,"));
        // a prompt that exceeds the context is refused before it reaches llama-server (the context guard)
        String huge = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + "word ".repeat(5000) + "\"}]}";
        given().contentType(ContentType.JSON).body(huge).post("/v1/chat/completions").then().statusCode(400)
                .body("error.message", containsString("more than the 4096 tokens per request of model 'default'"))
                .body("error.code", equalTo("context_length_exceeded"))
                .body("error.type", equalTo("invalid_request_error"));
        // the same refusal when streaming: before the stream starts, so with the status
        given().contentType(ContentType.JSON).body(huge.replace("]}", "],\"stream\":true}"))
                .post("/v1/chat/completions").then().statusCode(400)
                .body("error.code", equalTo("context_length_exceeded"));
    }

    @Test
    void sixteenConcurrentStreamsEachGetTheExactText() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Sse.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String model = i % 2 == 0 ? "default" : "second";
                answers.add(pool.submit(() -> Sse.read(Sse.post(v1 + "/chat/completions",
                        HELLO + ",\"stream\":true,\"model\":\"" + model + "\"}").build())));
            }
            for (int i = 0; i < 16; i++) {
                Sse.Answer a = answers.get(i).get();
                assertThat(a.status()).isEqualTo(200);
                assertThat(a.text()).isEqualTo(i % 2 == 0 ? REPLY : "I am the second model.");
                assertThat(a.data()).last().isEqualTo("[DONE]");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
