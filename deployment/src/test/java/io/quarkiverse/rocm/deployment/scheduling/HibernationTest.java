package io.quarkiverse.rocm.deployment.scheduling;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code kv-cache.hibernate} under {@code max-loaded=1}: a conversation's model is evicted while another serves, its
 * slots' prompt caches are saved first; when the conversation's next turn loads it again, they are restored before
 * that turn is let in, which finds its long system prompt cached; the metrics count it.
 */
public class HibernationTest {

    static final Path DIR = Path.of("target", "hibernation-test").toAbsolutePath();
    /** About 1,350 tokens: a long system prompt. */
    static final String SYSTEM = "The quick brown fox jumps over the lazy dog. ".repeat(30);

    @RegisterExtension
    static final QuarkusUnitTest app = SchedulingModels.app("alpha", "bravo")
            .overrideConfigKey("quarkus.rocm.max-loaded", "1")
            .overrideConfigKey("quarkus.rocm.alpha.kv-cache.hibernate", "true")
            .overrideConfigKey("quarkus.rocm.alpha.context-size", "4096")
            .overrideConfigKey("quarkus.rocm.hibernation.dir", DIR.toString())
            // what an earlier run saved would be restored (once, before the start: this class is loaded twice)
            .setBeforeAllCustomizer(() -> io.quarkiverse.rocm.deployment.Dirs.deleteTree(DIR));

    @Inject
    MeterRegistry registry;

    @Inject
    io.quarkiverse.rocm.runtime.server.ModelServers servers;

    static JsonPath chat(String model, JsonArray messages) {
        return given().contentType("application/json").body(new JsonObject().put("model", model).put("messages",
                messages).put("max_tokens", 8).encode()).post("/v1/chat/completions").then().statusCode(200).extract()
                .jsonPath();
    }

    @Test
    void anEvictedConversationsPromptIsRestoredWithItsModel() {
        JsonArray turn1 = new JsonArray().add(new JsonObject().put("role", "system").put("content", SYSTEM))
                .add(new JsonObject().put("role", "user").put("content", "Hi"));
        JsonPath first = chat("alpha", turn1);
        int prompt = first.getInt("timings.prompt_n");
        assertThat(prompt).isGreaterThan(1000);

        chat("bravo", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi")));
        assertThat(SchedulingModels.running()).as("alpha evicted for bravo").containsExactly("bravo");
        assertThat(DIR.resolve("alpha").resolve("slot-0.bin")).as("saved before its stop").exists();

        JsonArray turn2 = turn1.copy().add(new JsonObject().put("role", "assistant")
                .put("content", first.getString("choices[0].message.content")))
                .add(new JsonObject().put("role", "user").put("content", "And then?"));
        JsonPath next = chat("alpha", turn2);
        assertThat(SchedulingModels.running()).containsExactly("alpha");
        assertThat(next.getInt("timings.cache_n")).as("the system prompt and the first turn, restored")
                .isGreaterThanOrEqualTo(prompt);
        assertThat(next.getInt("timings.prompt_n")).as("only the new turn evaluated").isLessThan(prompt / 10);

        var hibernator = servers.byName("alpha").orElseThrow().hibernator().orElseThrow();
        assertThat(hibernator.saves()).isEqualTo(1);
        assertThat(hibernator.restores()).isEqualTo(1);
        // the metrics read those counts (their timers are checked in the Prometheus output by MetricsTest)
        var tags = io.micrometer.core.instrument.Tags.of("model", "alpha");
        assertThat(registry.get("rocm.kv_cache.saves").tags(tags).functionTimer()).isNotNull();
        assertThat(registry.get("rocm.kv_cache.restored.tokens").tags(tags).functionCounter().count())
                .isGreaterThanOrEqualTo(prompt);
        assertThat(registry.get("rocm.kv_cache.written").tags(tags).functionCounter().count()).isPositive();
        assertThat(registry.find("rocm.kv_cache.saves").tag("model", "bravo").functionTimer())
                .as("bravo does not hibernate").isNull();
    }
}
