package io.quarkiverse.rocm.deployment.scheduling;

import static io.quarkiverse.rocm.deployment.scheduling.SchedulingModels.reply;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.restassured.response.ValidatableResponse;

/**
 * Ollama's {@code keep_alive} onto the scheduler: honored from operators (the default
 * {@code quarkus.rocm.ollama.keep-alive-from}), ignored from other callers, whose unload is refused; {@code /api/ps}
 * says when the model goes; a generate with no prompt loads ({@code keep_alive} 0: unloads) as in Ollama.
 */
public class OllamaKeepAliveTest {

    static final String OPERATOR = "sk-ollama-operator";
    static final String CALLER = "sk-ollama-caller";

    @RegisterExtension
    static final QuarkusUnitTest app = SchedulingModels.app("alpha")
            .overrideConfigKey("quarkus.rocm.ollama.enabled", "true")
            .overrideConfigKey("quarkus.rocm.alpha.keep-alive", "1h")
            .overrideConfigKey("quarkus.rocm.openai.api-keys", CALLER)
            .overrideConfigKey("quarkus.rocm.openai.operator-keys", OPERATOR);

    static ValidatableResponse post(String key, String path, String body) {
        return given().header("Authorization", "Bearer " + key).contentType("application/json").body(body)
                .post(path).then();
    }

    static ValidatableResponse chat(String key, String keepAlive) {
        return post(key, "/api/chat", "{\"model\":\"alpha\",\"stream\":false,\"keep_alive\":" + keepAlive
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
    }

    /** Seconds from now until {@code /api/ps} says the model goes; null when it is not loaded. */
    static Long expiresIn() {
        String at = given().header("Authorization", "Bearer " + CALLER).get("/api/ps").then().statusCode(200)
                .extract().jsonPath().getString("models.find { it.name == 'alpha:latest' }.expires_at");
        return at == null ? null : Duration.between(Instant.now(), Instant.parse(at)).toSeconds();
    }

    @Test
    void operatorsDecideHowLongAModelStays_otherCallersKeepAliveIsIgnored() throws Exception {
        chat(CALLER, "0").statusCode(200).body("message.content", equalTo(reply("alpha"))).body("done", equalTo(true));
        assertThat(expiresIn()).as("a caller's 0 is ignored: the configured hour").isBetween(3500L, 3600L);
        post(CALLER, "/api/generate", "{\"model\":\"alpha\",\"keep_alive\":0}").statusCode(403)
                .body("error", containsString("quarkus.rocm.ollama.keep-alive-from=operators"))
                .body("error", containsString("operator-keys"));
        assertThat(SchedulingModels.running()).containsExactly("alpha");

        chat(OPERATOR, "\"5m\"").statusCode(200).body("message.content", equalTo(reply("alpha")));
        assertThat(expiresIn()).as("the operator's 5 minutes").isBetween(240L, 300L);

        post(OPERATOR, "/api/generate", "{\"model\":\"alpha\",\"keep_alive\":0}").statusCode(200)
                .body("done_reason", equalTo("unload")).body("done", equalTo(true)).body("response", equalTo(""));
        assertThat(SchedulingModels.running()).as("unloaded before the answer").isEmpty();
        assertThat(expiresIn()).isNull();

        post(OPERATOR, "/api/generate", "{\"model\":\"alpha\",\"keep_alive\":-1}").statusCode(200)
                .body("done_reason", equalTo("load"));
        assertThat(SchedulingModels.running()).as("loaded before the answer").containsExactly("alpha");
        assertThat(expiresIn()).as("negative: no idle unload").isGreaterThan(Duration.ofDays(365).toSeconds());

        chat(OPERATOR, "0").statusCode(200).body("message.content", equalTo(reply("alpha")));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!SchedulingModels.running().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(SchedulingModels.running()).as("0: unloaded once its request ended").isEmpty();

        chat(OPERATOR, "\"soon\"").statusCode(400).body("error", containsString("invalid keep_alive \"soon\""));
        post(OPERATOR, "/api/chat", "{\"model\":\"alpha\",\"messages\":[]}").statusCode(200)
                .body("done_reason", equalTo("load")).body("message.role", equalTo("assistant"));
        assertThat(expiresIn()).as("asked nothing: the configured hour again").isBetween(3500L, 3600L);
    }
}
