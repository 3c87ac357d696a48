package io.quarkiverse.rocm.runtime.rest;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Anthropic's Messages API requests, checked as Anthropic checks them before they reach llama-server (which answers
 * 500 to some malformed ones, and 200 to others): {@code messages} a non-empty list of user and assistant turns whose
 * {@code content} is text or blocks, {@code max_tokens} required on {@code /v1/messages}, {@code system} text or
 * text blocks.
 */
final class AnthropicRequests {

    private static final Set<String> ROLES = Set.of("user", "assistant");

    private AnthropicRequests() {
    }

    /** @param create whether it creates a message ({@code max_tokens} required), else it counts tokens */
    static OpenAiErrors.Answer messages(ObjectNode b, boolean create) {
        JsonNode messages = b.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            return OpenAiErrors.badRequest("messages: Field required (a non-empty list of user and assistant"
                    + " messages).", "messages");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String at = "messages." + i;
            if (!m.isObject() || !ROLES.contains(m.path("role").asText())) {
                return OpenAiErrors.badRequest(at + ".role: Input should be 'user' or 'assistant'.", at + ".role");
            }
            JsonNode content = m.get("content");
            if (content == null || !(content.isTextual() || content.isArray())) {
                return OpenAiErrors.badRequest(at + ".content: Input should be a string or a list of content blocks.",
                        at + ".content");
            }
            for (int j = 0; content.isArray() && j < content.size(); j++) {
                if (!content.get(j).path("type").isTextual()) {
                    return OpenAiErrors.badRequest(at + ".content." + j + ".type: Field required.",
                            at + ".content." + j + ".type");
                }
            }
        }
        JsonNode system = b.get("system");
        if (system != null && !system.isNull() && !system.isTextual() && !system.isArray()) {
            return OpenAiErrors.badRequest("system: Input should be a string or a list of text blocks.", "system");
        }
        if (create && !b.hasNonNull("max_tokens")) {
            return OpenAiErrors.badRequest("max_tokens: Field required.", "max_tokens");
        }
        return OpenAiRequests.positiveInt(b, "max_tokens");
    }
}
