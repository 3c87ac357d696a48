package io.quarkiverse.rocm.deployment.scheduling;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code kv-cache.per-conversation}: four conversations with long system prompts of their own take turns on a model with
 * two slots; each turn takes a slot from another conversation, whose cache is saved first, and restores its own, so
 * every second turn finds its prefix cached. Named by the {@code user} field, the {@code X-Conversation-Id} header, or
 * not at all (recognised by its first messages).
 */
public class ConversationHibernationTest {

    static final Path DIR = Path.of("target", "conversation-hibernation-test").toAbsolutePath();

    @RegisterExtension
    static final QuarkusUnitTest app = SchedulingModels.app("alpha")
            .overrideConfigKey("quarkus.rocm.alpha.parallel", "2")
            .overrideConfigKey("quarkus.rocm.alpha.context-size", "4096")
            .overrideConfigKey("quarkus.rocm.alpha.kv-cache.hibernate", "true")
            .overrideConfigKey("quarkus.rocm.alpha.kv-cache.per-conversation", "true")
            // llama-server's own prompt cache in RAM would keep the conversations too, while its process lives
            .overrideConfigKey("quarkus.rocm.alpha.args", "--cache-ram,0")
            .overrideConfigKey("quarkus.rocm.hibernation.dir", DIR.toString())
            // what an earlier run saved would be restored (once, before the start: this class is loaded twice)
            .setBeforeAllCustomizer(() -> io.quarkiverse.rocm.deployment.Dirs.deleteTree(DIR));

    @Inject
    io.quarkiverse.rocm.runtime.server.ModelServers servers;

    @Inject
    @io.quarkiverse.langchain4j.ModelName("alpha")
    io.quarkiverse.rocm.runtime.langchain4j.RocmChatModel chatModel;

    /** A conversation: its messages, and how it is named. */
    record Conversation(String name, JsonArray messages, String user, String header) {
    }

    static JsonPath turn(Conversation c, String question) {
        c.messages().add(new JsonObject().put("role", "user").put("content", question));
        JsonObject body = new JsonObject().put("model", "alpha").put("messages", c.messages()).put("max_tokens", 8);
        if (c.user() != null) {
            body.put("user", c.user());
        }
        RequestSpecification r = given().contentType("application/json").body(body.encode());
        if (c.header() != null) {
            r = r.header("X-Conversation-Id", c.header());
        }
        JsonPath answer = r.post("/v1/chat/completions").then().statusCode(200).extract().jsonPath();
        c.messages().add(new JsonObject().put("role", "assistant")
                .put("content", answer.getString("choices[0].message.content")));
        return answer;
    }

    @Test
    void moreConversationsThanSlotsEachFindTheirPrefixCached() {
        Map<String, Conversation> conversations = new LinkedHashMap<>();
        for (String name : new String[] { "a", "b", "c", "d" }) {
            JsonArray messages = new JsonArray().add(new JsonObject().put("role", "system")
                    .put("content", "Conversation " + name + ". " + "The quick brown fox jumps over the lazy dog. "
                            .repeat(30)));
            conversations.put(name, new Conversation(name, messages, name.equals("a") || name.equals("b")
                    ? "user-" + name
                    : null, name.equals("c") ? "conversation-c" : null));
        }
        Map<String, Integer> firstPrompt = new LinkedHashMap<>();
        conversations.values().forEach(c -> firstPrompt.put(c.name(), turn(c, "Hi").getInt("timings.prompt_n")));
        assertThat(firstPrompt.values()).allSatisfy(n -> assertThat(n).isGreaterThan(1000));

        for (Conversation c : conversations.values()) {
            JsonPath next = turn(c, "And then?");
            assertThat(next.getInt("timings.cache_n")).as("conversation %s restored into a slot", c.name())
                    .isGreaterThanOrEqualTo(firstPrompt.get(c.name()));
        }
        var hibernator = servers.byName("alpha").orElseThrow().hibernator().orElseThrow();
        assertThat(hibernator.restores()).as("every second turn restored").isEqualTo(4);
        assertThat(hibernator.saves()).as("each turn but the first two saved the slot's last conversation")
                .isEqualTo(6);

        // the application's own chat model names its conversation (a chat memory's id)
        chatModel.chat(dev.langchain4j.model.chat.request.ChatRequest.builder()
                .messages(dev.langchain4j.data.message.UserMessage.from("Hi"))
                .parameters(io.quarkiverse.rocm.runtime.langchain4j.RocmChatRequestParameters.builder()
                        .conversation("memory-7").maxOutputTokens(4).build())
                .build());
        assertThat(hibernator.conversations().orElseThrow().held())
                .containsValue(io.quarkiverse.rocm.runtime.hibernation.ConversationSlots.hash("named:memory-7"));

        // an unload saves each slot as its conversation's: after the next load, all four are still there
        servers.scheduler().unload("alpha").join();
        assertThat(hibernator.saves()).as("the chat model's conversation took a slot: one more save").isEqualTo(9);
        for (Conversation c : conversations.values()) {
            assertThat(turn(c, "Still there?").getInt("timings.cache_n")).as("conversation %s after a reload", c.name())
                    .isGreaterThanOrEqualTo(firstPrompt.get(c.name()));
        }
        assertThat(DIR.resolve("alpha")).isDirectoryContaining("glob:**/conv-*.bin");
        try (var names = Files.list(DIR.resolve("alpha"))) {
            assertThat(names.map(p -> p.getFileName().toString())).as("conversations' names are never written")
                    .noneMatch(n -> n.contains("user-") || n.contains("conversation-c"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
