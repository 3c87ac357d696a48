package io.quarkiverse.rocm.runtime.rest;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Checks OpenAI requests before they reach llama-server, which answers some malformed requests with 500 or even
 * 200: every refusal names the parameter and says what is expected.
 */
public final class OpenAiRequests {

    static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");

    private OpenAiRequests() {
    }

    /** Null when {@code body} is a valid request of {@code kind}, else the error. */
    static OpenAiErrors.Answer validate(Kind kind, ObjectNode body) {
        OpenAiErrors.Answer e = common(body);
        if (e != null) {
            return e;
        }
        return switch (kind) {
            case CHAT -> chat(body);
            case COMPLETION -> required(body, "prompt", "a string or an array of strings");
            case EMBEDDINGS -> required(body, "input", "a string or an array of strings");
            case RERANK -> rerank(body);
            case RESPONSES -> responses(body);
            case MESSAGES -> AnthropicRequests.messages(body, true);
            case MESSAGES_COUNT_TOKENS -> AnthropicRequests.messages(body, false);
            case TOKENIZE -> body.path("content").isTextual() ? null
                    : OpenAiErrors.badRequest("'content' must be the text to tokenize (a string).", "content");
            case DETOKENIZE -> detokenize(body);
            case INFILL -> infill(body);
        };
    }

    private static OpenAiErrors.Answer responses(ObjectNode b) {
        JsonNode input = b.get("input");
        if (input == null || !(input.isTextual() || input.isArray())) {
            return OpenAiErrors.badRequest("'input' must be a string or an array of input items.", "input");
        }
        if (b.hasNonNull("previous_response_id")) {
            return OpenAiErrors.badRequest("'previous_response_id' is not supported: responses are not stored (as"
                    + " with store=false), so send the whole conversation in 'input'.", "previous_response_id");
        }
        return positiveInt(b, "max_output_tokens");
    }

    private static OpenAiErrors.Answer detokenize(ObjectNode b) {
        JsonNode tokens = b.get("tokens");
        if (tokens == null || !tokens.isArray()) {
            return OpenAiErrors.badRequest("'tokens' must be an array of token ids.", "tokens");
        }
        for (int i = 0; i < tokens.size(); i++) {
            if (!tokens.get(i).isIntegralNumber() || tokens.get(i).asLong() < 0) {
                return OpenAiErrors.badRequest("'tokens[" + i + "]' must be a token id (a non-negative integer).",
                        "tokens[" + i + "]");
            }
        }
        return null;
    }

    private static OpenAiErrors.Answer infill(ObjectNode b) {
        for (String field : new String[] { "input_prefix", "input_suffix", "prompt" }) {
            JsonNode v = b.get(field);
            if (v != null && !v.isNull() && !v.isTextual()) {
                return OpenAiErrors.badRequest("'" + field + "' must be a string.", field);
            }
        }
        return null;
    }

    private static OpenAiErrors.Answer common(ObjectNode b) {
        JsonNode model = b.get("model");
        if (model != null && !model.isNull() && !model.isTextual()) {
            return OpenAiErrors.badRequest("'model' must be a string.", "model");
        }
        JsonNode stream = b.get("stream");
        if (stream != null && !stream.isNull() && !stream.isBoolean()) {
            return OpenAiErrors.badRequest("'stream' must be a boolean.", "stream");
        }
        OpenAiErrors.Answer e = number(b, "temperature", 0, 2);
        if (e == null) {
            e = number(b, "top_p", 0, 1);
        }
        if (e == null) {
            e = number(b, "frequency_penalty", -2, 2);
        }
        if (e == null) {
            e = number(b, "presence_penalty", -2, 2);
        }
        if (e == null) {
            e = positiveInt(b, "max_tokens");
        }
        if (e == null) {
            e = positiveInt(b, "max_completion_tokens");
        }
        if (e != null) {
            return e;
        }
        JsonNode n = b.get("n");
        if (n != null && !n.isNull() && !(n.isIntegralNumber() && n.asInt() == 1)) {
            return OpenAiErrors.badRequest("Only 'n': 1 is supported: llama-server returns one choice per request.",
                    "n");
        }
        JsonNode stop = b.get("stop");
        if (stop != null && !stop.isNull() && !stop.isTextual() && !(stop.isArray() && allText(stop))) {
            return OpenAiErrors.badRequest("'stop' must be a string or an array of strings.", "stop");
        }
        return null;
    }

    private static OpenAiErrors.Answer chat(ObjectNode b) {
        JsonNode messages = b.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            return OpenAiErrors.badRequest("'messages' must be a non-empty array of messages.", "messages");
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String param = "messages[" + i + "]";
            if (!m.isObject()) {
                return OpenAiErrors.badRequest("'" + param + "' must be an object.", param);
            }
            JsonNode role = m.get("role");
            if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
                return OpenAiErrors.badRequest("'" + param + ".role' must be one of " + ROLES + ".", param + ".role");
            }
            JsonNode content = m.get("content");
            boolean hasToolCalls = m.hasNonNull("tool_calls");
            if ((content == null || content.isNull()) && !(role.asText().equals("assistant") && hasToolCalls)) {
                return OpenAiErrors.badRequest("'" + param + ".content' is missing.", param + ".content");
            }
            if (content != null && !content.isNull() && !content.isTextual() && !content.isArray()) {
                return OpenAiErrors.badRequest("'" + param + ".content' must be a string or an array of content parts.",
                        param + ".content");
            }
        }
        JsonNode tools = b.get("tools");
        if (tools != null && !tools.isNull()) {
            if (!tools.isArray()) {
                return OpenAiErrors.badRequest("'tools' must be an array.", "tools");
            }
            for (int i = 0; i < tools.size(); i++) {
                if (!tools.get(i).path("function").path("name").isTextual()) {
                    return OpenAiErrors.badRequest("'tools[" + i + "].function.name' is missing.",
                            "tools[" + i + "].function.name");
                }
            }
        }
        JsonNode format = b.get("response_format");
        if (format != null && !format.isNull()) {
            String type = format.path("type").asText("");
            if (!Set.of("text", "json_object", "json_schema").contains(type)) {
                return OpenAiErrors.badRequest("'response_format.type' must be text, json_object or json_schema.",
                        "response_format.type");
            }
            if (type.equals("json_schema") && !format.path("json_schema").path("schema").isObject()) {
                return OpenAiErrors.badRequest("'response_format.json_schema.schema' must be a JSON schema object.",
                        "response_format.json_schema.schema");
            }
        }
        return null;
    }

    private static OpenAiErrors.Answer rerank(ObjectNode b) {
        JsonNode query = b.get("query");
        if (query == null || !query.isTextual()) {
            return OpenAiErrors.badRequest("'query' must be a string.", "query");
        }
        JsonNode documents = b.get("documents");
        if (documents == null || !documents.isArray() || documents.isEmpty()) {
            return OpenAiErrors.badRequest("'documents' must be a non-empty array of strings.", "documents");
        }
        for (JsonNode d : documents) {
            if (!d.isTextual()) {
                return OpenAiErrors.badRequest("'documents' must be a non-empty array of strings.", "documents");
            }
        }
        return positiveInt(b, "top_n");
    }

    private static OpenAiErrors.Answer required(ObjectNode b, String field, String what) {
        JsonNode v = b.get(field);
        if (v == null || v.isNull() || !(v.isTextual() || (v.isArray() && !v.isEmpty()))) {
            return OpenAiErrors.badRequest("'" + field + "' must be " + what + ".", field);
        }
        return null;
    }

    private static OpenAiErrors.Answer number(ObjectNode b, String field, double min, double max) {
        JsonNode v = b.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
            return OpenAiErrors.badRequest("'" + field + "' must be a number from " + min + " to " + max + ".", field);
        }
        return null;
    }

    static OpenAiErrors.Answer positiveInt(ObjectNode b, String field) {
        JsonNode v = b.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || v.asLong() < 1) {
            return OpenAiErrors.badRequest("'" + field + "' must be a positive integer.", field);
        }
        return null;
    }

    private static boolean allText(JsonNode array) {
        for (JsonNode n : array) {
            if (!n.isTextual()) {
                return false;
            }
        }
        return true;
    }
}
