package io.quarkiverse.rocm.deployment.kinds;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.quarkiverse.langchain4j.ModelName;
import io.quarkiverse.rocm.runtime.langchain4j.RocmChatModel;
import io.quarkiverse.rocm.runtime.langchain4j.RocmChatResponseMetadata;
import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.path.json.JsonPath;

/**
 * Speculative decoding on real llama-servers: the tiny model drafted by itself, and drafted from n-grams, answer
 * exactly as without speculation (greedy); the drafted tokens and those accepted are counted in the answer's timings
 * (the API's and the chat model's metadata). The speed-up needs a GPU and a larger model: not measured here.
 */
public class SpeculativeTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.rocm.plain.model.path", tiny())
            .overrideConfigKey("quarkus.rocm.plain.threads", "1")
            .overrideConfigKey("quarkus.rocm.drafted.model.path", tiny())
            .overrideConfigKey("quarkus.rocm.drafted.draft.model.path", tiny())
            .overrideConfigKey("quarkus.rocm.drafted.draft.max", "4")
            .overrideConfigKey("quarkus.rocm.drafted.threads", "1")
            .overrideConfigKey("quarkus.rocm.ngram.model.path", tiny())
            .overrideConfigKey("quarkus.rocm.ngram.speculative", "ngram-simple")
            .overrideConfigKey("quarkus.rocm.ngram.threads", "1")
            .overrideConfigKey("quarkus.rocm.openai.enabled", "true")
            .overrideConfigKey("quarkus.langchain4j.chat-model.provider", "rocm");

    @Inject
    @ModelName("drafted")
    RocmChatModel drafted;

    static String tiny() {
        try {
            return TinyModel.defaults().ensure(Path.of("target", "test-models", "tiny.gguf").toAbsolutePath()).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonPath chat(String model) {
        return given().contentType("application/json").body("{\"model\":\"" + model
                + "\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void speculationChangesNoAnswerAndCountsItsDrafts() {
        JsonPath plain = chat("plain");
        JsonPath withDraft = chat("drafted");
        JsonPath withNgrams = chat("ngram");
        String answer = plain.getString("choices[0].message.content");
        assertThat(answer).isEqualTo(TinyModel.DEFAULT_REPLY);
        assertThat(withDraft.getString("choices[0].message.content")).isEqualTo(answer);
        assertThat(withNgrams.getString("choices[0].message.content")).isEqualTo(answer);
        assertThat(plain.getInt("timings.predicted_n")).isPositive();
        assertThat(plain.getMap("timings")).doesNotContainKey("draft_n");
        assertThat(withDraft.getInt("timings.draft_n")).as("the draft proposed tokens").isPositive();
        assertThat(withDraft.getInt("timings.draft_n_accepted")).as("the model accepted some").isPositive()
                .isLessThanOrEqualTo(withDraft.getInt("timings.draft_n"));

        var response = drafted.chat(ChatRequest.builder().messages(UserMessage.from("Hi")).temperature(0.0).build());
        assertThat(response.aiMessage().text()).isEqualTo(answer);
        RocmChatResponseMetadata.Timings timings = ((RocmChatResponseMetadata) response.metadata()).timings();
        assertThat(timings.draftTokens()).isPositive();
        assertThat(timings.draftAcceptance()).isGreaterThan(0).isLessThanOrEqualTo(1);
        assertThat(drafted.client().server().commandLine()).containsSubsequence("--spec-draft-model", tiny(),
                "--spec-type", "draft-simple", "--spec-draft-n-max", "4");
    }
}
