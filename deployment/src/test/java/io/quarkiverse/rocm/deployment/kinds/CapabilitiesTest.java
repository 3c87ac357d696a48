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
 * embedding, rerank.
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
                .getList("data.capabilities")).hasSize(5);
    }
}
