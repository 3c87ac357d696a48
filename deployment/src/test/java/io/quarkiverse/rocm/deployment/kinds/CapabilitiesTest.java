package io.quarkiverse.rocm.deployment.kinds;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkus.test.QuarkusUnitTest;

/**
 * Every {@code /v1/models} entry says what its model can do in Ollama's words, from the configuration and the GGUF
 * before the model is loaded, and from llama-server's {@code /props} once it is: completion, tools, thinking,
 * embedding, rerank, insert (vision: {@link VisionTest}); a request that needs what a model cannot do is a 400 that
 * names the property that would make it possible. A completion with a {@code suffix} fills in the middle through
 * llama-server's {@code /infill}.
 */
public class CapabilitiesTest {

    /** A template that renders reasoning when asked not to think (Qwen3's switch). */
    static final String THINKING = TinyModel.CHAT_TEMPLATE
            + "{%- if enable_thinking is defined and not enable_thinking -%}<think>\n\n</think>\n\n{%- endif -%}";

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.rocm.start", "lazy")
            .overrideConfigKey("quarkus.rocm.model.path", model("tiny.gguf", TinyModel.defaults()))
            .overrideConfigKey("quarkus.rocm.plain.model.path", model("plain.gguf",
                    TinyModel.builder().chatTemplate(TinyModel.CHATML_WITHOUT_TOOLS).build()))
            .overrideConfigKey("quarkus.rocm.thinker.model.path", model("thinker.gguf",
                    TinyModel.builder().chatTemplate(THINKING).build()))
            .overrideConfigKey("quarkus.rocm.coder.model.path", model("coder.gguf",
                    TinyModel.builder().fim(true).build()))
            .overrideConfigKey("quarkus.rocm.embed.model.path", model("tiny.gguf", TinyModel.defaults()))
            .overrideConfigKey("quarkus.rocm.embed.embeddings", "true")
            .overrideConfigKey("quarkus.rocm.rank.model.path", reranker())
            .overrideConfigKey("quarkus.rocm.rank.reranking", "true")
            .overrideConfigKey("quarkus.rocm.threads", "1")
            .overrideConfigKey("quarkus.rocm.openai.enabled", "true")
            .overrideConfigKey("quarkus.langchain4j.chat-model.provider", "rocm");

    static String model(String file, TinyModel model) {
        try {
            return model.ensure(Path.of("target", "test-models", file).toAbsolutePath()).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String reranker() {
        try {
            return io.quarkiverse.rocm.testing.TinyReranker
                    .ensure(Path.of("target", "test-models", "tiny-reranker.gguf").toAbsolutePath()).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> capabilities(String model) {
        return given().get("/v1/models/" + model).then().statusCode(200).extract().jsonPath()
                .getList("capabilities", String.class);
    }

    @Test
    void eachModelSaysWhatItCanDoBeforeAndAfterItsLoad() {
        assertThat(capabilities("default")).as("from the GGUF's template").containsExactly("completion", "tools");
        assertThat(capabilities("plain")).containsExactly("completion");
        assertThat(capabilities("thinker")).containsExactly("completion", "tools", "thinking");
        assertThat(capabilities("embed")).containsExactly("embedding");
        assertThat(capabilities("rank")).containsExactly("rerank");
        assertThat(capabilities("coder")).containsExactly("completion", "tools", "insert");

        for (String m : List.of("default", "plain")) {
            given().contentType("application/json").body("{\"model\":\"" + m
                    + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}").post("/v1/chat/completions").then()
                    .statusCode(200);
        }
        assertThat(given().get("/v1/models/default").then().extract().jsonPath().getString("meta.state"))
                .isEqualTo("loaded");
        assertThat(capabilities("default")).as("from llama-server's /props").containsExactly("completion", "tools");
        assertThat(capabilities("plain")).containsExactly("completion");
        assertThat(given().get("/v1/models").then().statusCode(200).extract().jsonPath()
                .getList("data.capabilities")).hasSize(6);
    }

    static io.restassured.response.ValidatableResponse post(String endpoint, String body) {
        return given().contentType("application/json").body(body).post("/v1/" + endpoint).then();
    }

    static void refused(io.restassured.response.ValidatableResponse response, String param, String property) {
        response.statusCode(400).body("error.type", org.hamcrest.Matchers.is("invalid_request_error"))
                .body("error.param", org.hamcrest.Matchers.is(param))
                .body("error.message", org.hamcrest.Matchers.containsString(property));
    }

    @Test
    void aRequestForWhatAModelCannotDoNamesThePropertyThatWouldMakeItPossible() {
        String hi = "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";
        refused(post("chat/completions", "{\"model\":\"embed\"," + hi + "}"), "model", "choose another model");
        refused(post("embeddings", "{\"model\":\"default\",\"input\":\"Hi\"}"), "model",
                "quarkus.rocm.embeddings=true");
        refused(post("rerank", "{\"model\":\"default\",\"query\":\"q\",\"documents\":[\"d\"]}"), "model",
                "quarkus.rocm.reranking=true");
        refused(post("chat/completions", "{\"model\":\"default\",\"messages\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,AAAA\"}}]}]}"),
                "messages[0].content[0]", "quarkus.rocm.mmproj");
        refused(post("completions", "{\"model\":\"default\",\"prompt\":\"def f(\",\"suffix\":\"return x\"}"),
                "suffix", "quarkus.rocm.model.path");
        post("chat/completions", "{\"model\":\"plain\"," + hi + "}").statusCode(200); // loaded: /props known
        refused(post("chat/completions", "{\"model\":\"plain\"," + hi + ",\"tools\":[{\"type\":\"function\","
                + "\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}}]}"), "tools",
                "quarkus.rocm.plain.args");
    }

    @Test
    void aCompletionWithASuffixFillsInTheMiddle() {
        var plain = post("completions", "{\"model\":\"coder\",\"prompt\":\"def f(\",\"temperature\":0}")
                .statusCode(200).extract().jsonPath();
        var middle = post("completions", "{\"model\":\"coder\",\"prompt\":\"def f(\",\"suffix\":\"return x\","
                + "\"temperature\":0,\"max_tokens\":40}").statusCode(200).extract().jsonPath();
        assertThat(middle.getString("object")).isEqualTo("text_completion");
        assertThat(middle.getString("model")).isEqualTo("coder");
        assertThat(middle.getString("choices[0].text")).isEqualTo(TinyModel.DEFAULT_REPLY);
        assertThat(middle.getString("choices[0].finish_reason")).isEqualTo("stop");
        assertThat(middle.getInt("usage.prompt_tokens")).as("the suffix and the FIM tokens are in the prompt")
                .isGreaterThan(plain.getInt("usage.prompt_tokens") + 3);
        String stream = post("completions", "{\"model\":\"coder\",\"prompt\":\"def f(\",\"suffix\":\"return x\","
                + "\"stream\":true}").statusCode(200).contentType(org.hamcrest.Matchers.startsWith("text/event-stream"))
                .extract().asString();
        assertThat(stream).startsWith("data: {").contains("\"text\":\"" + TinyModel.DEFAULT_REPLY + "\"")
                .endsWith("data: [DONE]\n\n");
    }
}
