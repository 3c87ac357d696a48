package io.quarkiverse.rocm.runtime.langchain4j;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.langchain4j.data.message.ChatMessage;
import io.quarkiverse.rocm.runtime.client.LlamaServerClient;
import io.quarkiverse.rocm.runtime.json.Json;

/**
 * Exact token counts from the model's own llama-server: a text through its tokenizer ({@code /tokenize}), messages
 * rendered by its chat template first ({@code /apply-template}, with the generation prompt, as a chat request's
 * prompt is), so the count is the {@code prompt_tokens} the same messages would cost.
 */
final class TokenCounts {

    private final LlamaServerClient client;
    private final Duration timeout;

    TokenCounts(LlamaServerClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    /** The tokens of a text, without the tokens the model adds around a prompt (BOS). */
    int text(String text) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("content", text).put("add_special", false)
                .put("parse_special", false);
        return tokens(body);
    }

    /** The tokens of a conversation as the model's template renders it for a request. */
    int messages(Iterable<ChatMessage> messages) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("messages");
        for (ChatMessage m : messages) {
            list.add(ChatRequests.message(m, Json.MAPPER));
        }
        JsonNode rendered = Errors.postJson(client, "/apply-template", body, timeout, false,
                "RocmChatModel.estimateTokenCountInMessages()");
        // parse_special: the template's markers are single tokens, as in a chat request's prompt
        return tokens(Json.MAPPER.createObjectNode().put("content", rendered.path("prompt").asText())
                .put("parse_special", true));
    }

    private int tokens(ObjectNode body) {
        return Errors.postJson(client, "/tokenize", body, timeout, false, "RocmChatModel.estimateTokenCount()")
                .path("tokens").size();
    }
}
