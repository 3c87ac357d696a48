package io.quarkiverse.rocm.deployment.kinds;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code kv-cache.hibernate} on a model with a LoRA adapter: llama-server keeps no adapters with a saved slot, so the
 * slot is given its last request's adapters before its cache is restored. The adapter's conversation finds its prompt
 * cached after an unload and a load; the base model's request with the same prompt is not served from the adapter's
 * cache (the adapter marks the KV cache: a cache handed across would turn the base's reply into a tool call).
 */
public class LoraHibernationTest {

    static final String KEY = "sk-lora-hibernation";
    static final Path DIR = Path.of("target", "lora-hibernation-test").toAbsolutePath();
    static final String SYSTEM = "The quick brown fox jumps over the lazy dog. ".repeat(30);

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(LoraTest.class, io.quarkiverse.rocm.deployment.Dirs.class))
            .overrideConfigKey("quarkus.rocm.base.model.path", LoraTest.file("tiny.gguf"))
            .overrideConfigKey("quarkus.rocm.base.threads", "1")
            .overrideConfigKey("quarkus.rocm.base.context-size", "4096")
            .overrideConfigKey("quarkus.rocm.base.lora.skip.path", LoraTest.file("tiny-skip-lora.gguf"))
            .overrideConfigKey("quarkus.rocm.base.kv-cache.hibernate", "true")
            .overrideConfigKey("quarkus.rocm.hibernation.dir", DIR.toString())
            // what an earlier run saved would be restored (once, before the start: this class is loaded twice)
            .setBeforeAllCustomizer(() -> io.quarkiverse.rocm.deployment.Dirs.deleteTree(DIR))
            .overrideConfigKey("quarkus.rocm.openai.enabled", "true")
            .overrideConfigKey("quarkus.rocm.openai.operator-keys", KEY)
            .overrideConfigKey("quarkus.langchain4j.chat-model.provider", "rocm");

    static JsonPath chat(String model, String user) {
        JsonArray messages = new JsonArray().add(new JsonObject().put("role", "system").put("content", SYSTEM))
                .add(new JsonObject().put("role", "user").put("content", user));
        return given().header("Authorization", "Bearer " + KEY).contentType("application/json")
                .body(new JsonObject().put("model", model).put("temperature", 0).put("max_tokens", 12)
                        .put("messages", messages).encode())
                .post("/v1/chat/completions").then().statusCode(200).extract().jsonPath();
    }

    static void operator(String action) {
        given().header("Authorization", "Bearer " + KEY).post("/v1/models/base/" + action).then().statusCode(200);
    }

    @Test
    void theAdaptersConversationIsRestoredAndTheBaseNeverGetsItsCache() {
        JsonPath first = chat("skip", "Hi");
        int prompt = first.getInt("timings.prompt_n");
        assertThat(first.getString("choices[0].message.content")).startsWith(LoraTest.SKIP.reply().substring(0, 8));
        operator("unload");
        operator("load");

        JsonPath again = chat("skip", "Hi");
        assertThat(again.getInt("timings.cache_n"))
                .as("restored with its adapter (all but the last token, which gives the logits)")
                .isGreaterThanOrEqualTo(prompt - 1);
        assertThat(again.getString("choices[0].message.content")).isEqualTo(first.getString("choices[0].message.content"));

        JsonPath base = chat("base", "Hi");
        assertThat(base.getString("choices[0].message.content")).as("the base's own reply, not the adapter's cache")
                .startsWith(TinyModel.DEFAULT_REPLY.substring(0, 12));
        assertThat(base.getInt("timings.cache_n")).isZero();
    }
}
