package io.quarkiverse.rocm.deployment.kinds;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.quarkiverse.langchain4j.ModelName;
import io.quarkiverse.rocm.runtime.langchain4j.RocmChatModel;
import io.quarkiverse.rocm.runtime.langchain4j.RocmChatRequestParameters;
import io.quarkiverse.rocm.testing.TinyAdapter;
import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.path.json.JsonPath;

/**
 * A LoRA adapter on a real llama-server: the tiny model with {@link TinyAdapter} (its reply skips the first word) is a
 * model of its own in the API and for {@code @ModelName}, served by the base model's one llama-server; requests for
 * the base and for the adapter, alternating and concurrent on two slots with the same prompt, each get their own
 * reply (the adapter also marks the KV cache, so a prompt cache handed across adapters would change the base's
 * reply into a tool call).
 */
public class LoraTest {

    static final TinyAdapter SKIP = TinyAdapter.of(TinyModel.defaults(), 1);

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.rocm.base.model.path", file("tiny.gguf"))
            .overrideConfigKey("quarkus.rocm.base.parallel", "2")
            .overrideConfigKey("quarkus.rocm.base.threads", "1")
            .overrideConfigKey("quarkus.rocm.base.lora.skip.path", file("tiny-skip-lora.gguf"))
            .overrideConfigKey("quarkus.rocm.openai.enabled", "true")
            .overrideConfigKey("quarkus.langchain4j.skip.chat-model.provider", "rocm");

    @Inject
    @ModelName("skip")
    ChatModel skip;

    @Inject
    @ModelName("base")
    RocmChatModel base;

    static String file(String name) {
        try {
            Path path = Path.of("target", "test-models", name).toAbsolutePath();
            return (name.equals("tiny.gguf") ? TinyModel.defaults().ensure(path) : SKIP.ensure(path)).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String chat(String model, String prompt) {
        return given().contentType("application/json").body("{\"model\":\"" + model
                + "\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}")
                .post("/v1/chat/completions").then().statusCode(200).extract().jsonPath()
                .getString("choices[0].message.content");
    }

    @Test
    void theAdapterIsAModelOfItsOwnSharingTheBasesServer() {
        JsonPath models = given().get("/v1/models").then().statusCode(200).extract().jsonPath();
        assertThat(models.getList("data.id", String.class)).containsExactly("base", "skip");
        assertThat(models.getString("data[1].parent")).isEqualTo("base");
        assertThat(models.getString("data[1].root")).isEqualTo(file("tiny-skip-lora.gguf"));
        assertThat(models.getList("data[1].capabilities", String.class)).contains("completion");
        assertThat(models.getString("data[0].parent")).isNull();
        assertThat(given().get("/v1/models/skip").then().statusCode(200).extract().jsonPath().getString("parent"))
                .isEqualTo("base");

        assertThat(chat("skip", "Hi")).isEqualTo(SKIP.reply());
        assertThat(chat("base", "Hi")).isEqualTo(TinyModel.DEFAULT_REPLY);
        // one process, the adapter loaded with it, no prompt cache in host memory to hand across adapters
        assertThat(base.client().server().commandLine())
                .containsSubsequence("--lora-scaled", file("tiny-skip-lora.gguf") + ":0")
                .containsSubsequence("--cache-ram", "0");
    }

    @Test
    void requestsForTheBaseAndTheAdapterAlternateConcurrentlyWithoutDisturbingEachOther() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<String>> answers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String model = i % 2 == 0 ? "skip" : "base";
                answers.add(CompletableFuture.supplyAsync(() -> chat(model, "The same question every time"), pool));
            }
            for (int i = 0; i < answers.size(); i++) {
                assertThat(answers.get(i).get()).as("request %d (%s)", i, i % 2 == 0 ? "skip" : "base")
                        .isEqualTo(i % 2 == 0 ? SKIP.reply() : TinyModel.DEFAULT_REPLY);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theChatModelsChooseAdaptersByNameAndPerRequest() {
        assertThat(skip.chat(ChatRequest.builder().messages(UserMessage.from("Hi")).temperature(0.0).build())
                .aiMessage().text()).isEqualTo(SKIP.reply());
        assertThat(base.chat(ChatRequest.builder().messages(UserMessage.from("Hi")).temperature(0.0).build())
                .aiMessage().text()).isEqualTo(TinyModel.DEFAULT_REPLY);
        assertThat(base.chat(ChatRequest.builder().messages(UserMessage.from("Hi"))
                .parameters(RocmChatRequestParameters.builder().temperature(0.0).adapters(Map.of("skip", 1.0)).build())
                .build()).aiMessage().text()).isEqualTo(SKIP.reply());
        assertThatThrownBy(() -> base.chat(ChatRequest.builder().messages(UserMessage.from("Hi"))
                .parameters(RocmChatRequestParameters.builder().adapters(Map.of("sql", 1.0)).build()).build()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("There is no LoRA adapter 'sql'").hasMessageContaining("its adapters are [skip]")
                .hasMessageContaining("quarkus.rocm.base.lora.\"NAME\".path");
    }
}
