package io.quarkiverse.rocm.deployment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Within one llama-server of several slots, a conversation's next turn already goes to the slot that holds its
 * prefix: llama-server gives a request the idle slot whose cached prompt shares the most with it
 * ({@code --slot-prompt-similarity}, 0.1 by default), which is why this extension sends no {@code id_slot} of its
 * own (a pinned request would wait for its slot while another is free). Two conversations on two slots, in an order
 * where least-recently-used slots would mix them up: every later turn finds its earlier turns cached.
 */
public class SlotReuseTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(TestModels.class))
            .overrideConfigKey("quarkus.rocm.model.path", TestModels.tiny().toString())
            .overrideConfigKey("quarkus.rocm.threads", "1")
            .overrideConfigKey("quarkus.rocm.parallel", "2")
            .overrideConfigKey("quarkus.rocm.openai.enabled", "true");

    @Test
    void interleavedConversationsEachFindTheirEarlierTurnsCached() {
        JsonArray a = conversation("You answer questions about sailing boats. ".repeat(20), "What is a sloop?");
        JsonArray b = conversation("You answer questions about mountain huts. ".repeat(20), "Where can I sleep?");
        int promptA = turn(a).getInteger("prompt_n"); // the first turns fill one slot each
        turn(b);
        // not alternating: a slot chosen by least recent use would hand the second "a" in a row the slot of "b"
        JsonArray[] order = { a, a, b, b, a, b, b, a };
        for (int i = 0; i < order.length; i++) {
            JsonArray c = order[i];
            c.add(new JsonObject().put("role", "user").put("content", "And then, question " + i + "?"));
            JsonObject timings = turn(c);
            assertThat(timings.getInteger("cache_n")).as("request %d: the earlier turns come from the slot's cache", i)
                    .isGreaterThanOrEqualTo(promptA - 1);
            assertThat(timings.getInteger("prompt_n")).as("only the new turn is evaluated").isLessThan(promptA / 2);
        }
    }

    static JsonArray conversation(String system, String user) {
        return new JsonArray().add(new JsonObject().put("role", "system").put("content", system))
                .add(new JsonObject().put("role", "user").put("content", user));
    }

    /** One turn; its answer is added to the conversation. Returns llama-server's timings. */
    static JsonObject turn(JsonArray messages) {
        Response r = given().contentType("application/json")
                .body(new JsonObject().put("messages", messages).put("max_tokens", 8).encode())
                .post("/v1/chat/completions");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        JsonObject answer = new JsonObject(r.asString());
        messages.add(answer.getJsonArray("choices").getJsonObject(0).getJsonObject("message"));
        return answer.getJsonObject("timings");
    }
}
