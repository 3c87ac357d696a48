package io.quarkiverse.rocm.runtime.ollama;

import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkiverse.rocm.runtime.json.Json;

/**
 * Ollama's requests ({@code /api/chat}, {@code /api/generate}, {@code /api/embed}) as llama-server's OpenAI requests,
 * as Ollama itself translates them for its llama-server runner: images become {@code image_url} data URIs, a tool
 * call's {@code arguments} object a JSON string, a tool result's {@code tool_name} the message's {@code name};
 * {@code options} keep llama-server's names ({@code num_predict} is {@code max_tokens}; load-time options such as
 * {@code num_ctx} are the model's configuration, not a request's), {@code format} becomes a {@code response_format},
 * {@code think} the template's {@code enable_thinking}.
 */
final class OllamaRequests {

    /** Sampling options whose names llama-server shares. */
    private static final String[] SAME = { "temperature", "top_k", "top_p", "min_p", "typical_p", "repeat_penalty",
            "repeat_last_n", "presence_penalty", "frequency_penalty", "seed", "stop" };

    private OllamaRequests() {
    }

    /** Thrown for a request Ollama would refuse with 400: its message is Ollama's. */
    static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /** {@code /api/chat} as a chat completions request. */
    static ObjectNode chat(ObjectNode ollama) {
        ObjectNode chat = Json.MAPPER.createObjectNode();
        ArrayNode messages = chat.putArray("messages");
        JsonNode list = ollama.path("messages");
        if (!list.isArray()) {
            throw new Invalid("messages must be a list");
        }
        for (JsonNode m : list) {
            messages.add(message(m));
        }
        if (ollama.path("tools").isArray() && !ollama.path("tools").isEmpty()) {
            chat.set("tools", ollama.get("tools"));
        }
        common(ollama, chat);
        return chat;
    }

    /**
     * {@code /api/generate} (not raw) as a chat completions request: the system prompt and the prompt as a user turn
     * the template renders.
     */
    static ObjectNode generate(ObjectNode ollama) {
        ObjectNode chat = Json.MAPPER.createObjectNode();
        ArrayNode messages = chat.putArray("messages");
        if (ollama.path("system").isTextual() && !ollama.path("system").asText().isEmpty()) {
            messages.addObject().put("role", "system").put("content", ollama.path("system").asText());
        }
        ObjectNode user = Json.MAPPER.createObjectNode().put("role", "user")
                .put("content", ollama.path("prompt").asText(""));
        if (ollama.has("images")) {
            user.set("images", ollama.get("images"));
        }
        messages.add(message(user));
        common(ollama, chat);
        return chat;
    }

    /** {@code /api/generate} with {@code raw} as a completions request: the prompt as it is. */
    static ObjectNode raw(ObjectNode ollama) {
        if (ollama.hasNonNull("system") || ollama.hasNonNull("template") || ollama.hasNonNull("context")) {
            throw new Invalid("raw mode does not support template, system, or context");
        }
        ObjectNode completion = Json.MAPPER.createObjectNode().put("prompt", ollama.path("prompt").asText(""));
        common(ollama, completion);
        return completion;
    }

    /** {@code /api/generate} with a {@code suffix}: llama-server's fill in the middle. */
    static ObjectNode infill(ObjectNode ollama) {
        ObjectNode infill = Json.MAPPER.createObjectNode().put("input_prefix", ollama.path("prompt").asText(""))
                .put("input_suffix", ollama.path("suffix").asText(""));
        common(ollama, infill);
        infill.remove("stream_options");
        if (infill.has("max_tokens")) {
            infill.set("n_predict", infill.remove("max_tokens"));
        }
        return infill;
    }

    /** {@code /api/embed}: one vector per input. */
    static ObjectNode embed(ObjectNode ollama) {
        JsonNode input = ollama.get("input");
        if (input == null || !(input.isTextual() || input.isArray())) {
            throw new Invalid("invalid input type");
        }
        ObjectNode embeddings = Json.MAPPER.createObjectNode();
        embeddings.set("input", input);
        return embeddings;
    }

    /** Whether the client wants a stream: Ollama streams unless told not to. */
    static boolean stream(ObjectNode ollama) {
        return ollama.path("stream").asBoolean(true);
    }

    private static void common(ObjectNode ollama, ObjectNode out) {
        JsonNode options = ollama.path("options");
        for (String name : SAME) {
            if (options.has(name) && !options.get(name).isNull()) {
                out.set(name, options.get(name));
            }
        }
        JsonNode predict = options.get("num_predict");
        if (predict != null && predict.isIntegralNumber() && predict.asInt() > 0) {
            out.put("max_tokens", predict.asInt());
        }
        if (options.has("num_keep")) {
            out.set("n_keep", options.get("num_keep"));
        }
        JsonNode format = ollama.get("format");
        if (format != null && !format.isNull() && !(format.isTextual() && format.asText().isEmpty())) {
            if (format.isTextual() && format.asText().equals("json")) {
                out.putObject("response_format").put("type", "json_object");
            } else if (format.isObject()) {
                ObjectNode schema = out.putObject("response_format").put("type", "json_schema").putObject("json_schema");
                schema.put("name", "schema").set("schema", format);
            } else {
                throw new Invalid("invalid format: " + format + "; expected \"json\" or a valid JSON Schema object");
            }
        }
        JsonNode think = ollama.get("think");
        if (think != null && !think.isNull()) {
            ObjectNode kwargs = out.putObject("chat_template_kwargs");
            kwargs.put("enable_thinking", think.isBoolean() ? think.asBoolean() : true);
            if (think.isTextual()) {
                out.put("reasoning_effort", think.asText());
            }
        }
        boolean stream = stream(ollama);
        out.put("stream", stream);
        if (stream) {
            out.putObject("stream_options").put("include_usage", true);
        }
    }

    private static ObjectNode message(JsonNode m) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        String role = m.path("role").asText("").toLowerCase(java.util.Locale.ROOT);
        if (!Map.of("system", 1, "user", 1, "assistant", 1, "tool", 1).containsKey(role)) {
            throw new Invalid("invalid role: " + m.path("role").asText());
        }
        out.put("role", role);
        String content = m.path("content").asText("");
        JsonNode images = m.path("images");
        if (images.isArray() && !images.isEmpty()) {
            ArrayNode parts = out.putArray("content");
            if (!content.isEmpty()) {
                parts.addObject().put("type", "text").put("text", content);
            }
            for (JsonNode image : images) {
                parts.addObject().put("type", "image_url").putObject("image_url").put("url",
                        "data:" + mime(image.asText()) + ";base64," + image.asText());
            }
        } else {
            out.put("content", content);
        }
        JsonNode calls = m.path("tool_calls");
        if (calls.isArray() && !calls.isEmpty()) {
            ArrayNode list = out.putArray("tool_calls");
            for (int i = 0; i < calls.size(); i++) {
                JsonNode call = calls.get(i);
                JsonNode arguments = call.path("function").path("arguments");
                list.addObject().put("id", call.path("id").asText("call_" + i)).put("type", "function")
                        .putObject("function").put("name", call.path("function").path("name").asText())
                        .put("arguments", arguments.isTextual() ? arguments.asText() : arguments.toString());
            }
        }
        if (role.equals("tool")) {
            if (m.hasNonNull("tool_name")) {
                out.put("name", m.get("tool_name").asText());
            }
            if (m.hasNonNull("tool_call_id")) {
                out.put("tool_call_id", m.get("tool_call_id").asText());
            }
        }
        return out;
    }

    /** An image's type from its first bytes (Ollama sends bare base64); JPEG when not known. */
    static String mime(String base64) {
        byte[] head;
        try {
            head = Base64.getDecoder().decode(base64.substring(0, Math.min(base64.length(), 16)));
        } catch (IllegalArgumentException e) {
            return "image/jpeg";
        }
        if (head.length >= 4 && (head[0] & 0xff) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G') {
            return "image/png";
        }
        if (head.length >= 3 && head[0] == 'G' && head[1] == 'I' && head[2] == 'F') {
            return "image/gif";
        }
        if (head.length >= 4 && head[0] == 'R' && head[1] == 'I' && head[2] == 'F' && head[3] == 'F') {
            return "image/webp";
        }
        return "image/jpeg";
    }
}
