package io.quarkiverse.rocm.runtime.ollama;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkiverse.rocm.runtime.json.Json;

/**
 * llama-server's answers as Ollama's: a whole answer as one object, a stream of chunks as NDJSON parts with
 * {@code done:false}, then one {@code done:true} part with {@code done_reason}, {@code prompt_eval_count},
 * {@code eval_count} and the durations in nanoseconds. A chat answer is in {@code message} (with {@code thinking} and
 * {@code tool_calls}, whose {@code arguments} are objects and whose {@code function.index} is set, as Ollama sends
 * them; tool calls come whole in the final part), a generate answer in {@code response}. {@code created_at} is in
 * whole seconds, UTC: LangChain4j's Ollama client breaks on fractions.
 */
final class OllamaAnswers {

    private OllamaAnswers() {
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** One streamed answer: its parts as the chunks come, then its final part. */
    static final class Stream {
        private final String model;
        private final boolean generate;
        private final long startNanos = System.nanoTime();
        private final Map<Integer, ObjectNode> calls = new TreeMap<>();
        private final Map<Integer, StringBuilder> arguments = new TreeMap<>();
        private String finishReason;
        private JsonNode timings;
        private JsonNode usage;

        /** @param generate whether it answers {@code /api/generate} ({@code response}) rather than chat */
        Stream(String model, boolean generate) {
            this.model = model;
            this.generate = generate;
        }

        /** The parts of one chunk of llama-server's stream (none when it only carries tool calls or the end). */
        List<ObjectNode> chunk(JsonNode chunk) {
            List<ObjectNode> parts = new ArrayList<>(1);
            if (chunk.has("timings")) {
                timings = chunk.get("timings");
            }
            if (chunk.path("usage").isObject()) {
                usage = chunk.get("usage");
            }
            for (JsonNode choice : chunk.path("choices")) {
                if (choice.hasNonNull("finish_reason")) {
                    finishReason = choice.get("finish_reason").asText();
                }
                JsonNode delta = choice.has("delta") ? choice.get("delta") : choice;
                String text = delta.path("content").isTextual() ? delta.path("content").asText()
                        : delta.path("text").asText("");
                String thinking = delta.path("reasoning_content").asText("");
                for (JsonNode call : delta.path("tool_calls")) {
                    int index = call.path("index").asInt(calls.size());
                    ObjectNode whole = calls.computeIfAbsent(index, i -> Json.MAPPER.createObjectNode());
                    if (call.hasNonNull("id")) {
                        whole.put("id", call.get("id").asText());
                    }
                    if (call.path("function").hasNonNull("name")) {
                        whole.put("name", call.path("function").path("name").asText());
                    }
                    arguments.computeIfAbsent(index, i -> new StringBuilder())
                            .append(call.path("function").path("arguments").asText(""));
                }
                if (!text.isEmpty() || !thinking.isEmpty()) {
                    parts.add(part(text, thinking, false));
                }
            }
            return parts;
        }

        /** The final part: the reason, the counts, the durations, and the tool calls whole. */
        ObjectNode done() {
            ObjectNode last = part("", "", true);
            if (!generate && !calls.isEmpty()) {
                ArrayNode list = ((ObjectNode) last.get("message")).putArray("tool_calls");
                calls.forEach((i, call) -> list.add(toolCall(i, call.path("id").asText(null),
                        call.path("name").asText(), arguments.getOrDefault(i, new StringBuilder()).toString())));
            }
            finish(last, finishReason, usage, timings, startNanos);
            return last;
        }

        private ObjectNode part(String text, String thinking, boolean done) {
            ObjectNode part = Json.MAPPER.createObjectNode().put("model", model).put("created_at", now());
            if (generate) {
                part.put("response", text);
                if (!thinking.isEmpty()) {
                    part.put("thinking", thinking);
                }
            } else {
                ObjectNode message = part.putObject("message").put("role", "assistant").put("content", text);
                if (!thinking.isEmpty()) {
                    message.put("thinking", thinking);
                }
            }
            part.put("done", done);
            return part;
        }
    }

    /** A whole chat completion (or completion) as Ollama's one answer. */
    static ObjectNode whole(JsonNode completion, String model, boolean generate, long startNanos) {
        Stream stream = new Stream(model, generate);
        ObjectNode answer = stream.part("", "", true);
        JsonNode choice = completion.path("choices").path(0);
        JsonNode message = choice.path("message");
        String text = message.path("content").isTextual() ? message.path("content").asText()
                : choice.path("text").asText("");
        String thinking = message.path("reasoning_content").asText("");
        if (generate) {
            answer.put("response", text);
            if (!thinking.isEmpty()) {
                answer.put("thinking", thinking);
            }
        } else {
            ObjectNode m = (ObjectNode) answer.get("message");
            m.put("content", text);
            if (!thinking.isEmpty()) {
                m.put("thinking", thinking);
            }
            JsonNode calls = message.path("tool_calls");
            if (calls.isArray() && !calls.isEmpty()) {
                ArrayNode list = m.putArray("tool_calls");
                for (int i = 0; i < calls.size(); i++) {
                    JsonNode fn = calls.get(i).path("function");
                    list.add(toolCall(i, calls.get(i).path("id").asText(null), fn.path("name").asText(),
                            fn.path("arguments").asText("{}")));
                }
            }
        }
        finish(answer, choice.path("finish_reason").asText(null), completion.get("usage"), completion.get("timings"),
                startNanos);
        return answer;
    }

    /** llama-server's own {@code /infill} answer as a generate answer. */
    static ObjectNode infill(JsonNode infill, String model, long startNanos) {
        ObjectNode answer = new Stream(model, true).part(infill.path("content").asText(""), "", true);
        ObjectNode usage = Json.MAPPER.createObjectNode().put("prompt_tokens", infill.path("tokens_evaluated").asInt())
                .put("completion_tokens", infill.path("tokens_predicted").asInt());
        finish(answer, "limit".equals(infill.path("stop_type").asText()) ? "length" : "stop", usage,
                infill.get("timings"), startNanos);
        return answer;
    }

    private static ObjectNode toolCall(int index, String id, String name, String arguments) {
        ObjectNode call = Json.MAPPER.createObjectNode();
        if (id != null) {
            call.put("id", id);
        }
        JsonNode args;
        try {
            args = Json.MAPPER.readTree(arguments.isEmpty() ? "{}" : arguments);
        } catch (IOException e) {
            throw new IllegalStateException("the model's tool call arguments are not JSON: " + arguments, e);
        }
        call.putObject("function").put("index", index).put("name", name).set("arguments", args);
        return call;
    }

    private static void finish(ObjectNode part, String finishReason, JsonNode usage, JsonNode timings,
            long startNanos) {
        part.put("done_reason", "length".equals(finishReason) ? "length" : "stop");
        part.put("total_duration", System.nanoTime() - startNanos).put("load_duration", 0);
        int prompt = usage != null && usage.has("prompt_tokens") ? usage.path("prompt_tokens").asInt()
                : timings == null ? 0 : timings.path("prompt_n").asInt() + timings.path("cache_n").asInt();
        int eval = usage != null && usage.has("completion_tokens") ? usage.path("completion_tokens").asInt()
                : timings == null ? 0 : timings.path("predicted_n").asInt();
        part.put("prompt_eval_count", prompt);
        part.put("prompt_eval_duration", timings == null ? 0 : (long) (timings.path("prompt_ms").asDouble() * 1e6));
        part.put("eval_count", eval);
        part.put("eval_duration", timings == null ? 0 : (long) (timings.path("predicted_ms").asDouble() * 1e6));
    }
}
