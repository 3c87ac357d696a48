package io.quarkiverse.rocm.runtime.rest;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkiverse.rocm.runtime.json.Json;
import io.quarkiverse.rocm.runtime.server.Capabilities;
import io.quarkiverse.rocm.runtime.server.ModelServer;

/**
 * OpenAI's completions with a {@code suffix} (fill in the middle, Ollama's {@code insert}): llama-server's
 * {@code /v1/completions} ignores the suffix, its {@code /infill} puts prompt and suffix around the model's FIM tokens.
 * A request is rewritten for {@code /infill} ({@code input_prefix}, {@code input_suffix}, {@code n_predict}; the
 * sampling options keep their names) and its answer written back as a {@code text_completion}.
 */
final class Infill {

    /** llama-server's endpoint. */
    static final String PATH = "/infill";

    private Infill() {
    }

    /** Whether a completions request asks to fill in the middle. */
    static boolean asked(ObjectNode request) {
        JsonNode suffix = request.get("suffix");
        return suffix != null && suffix.isTextual() && !suffix.asText().isEmpty();
    }

    /** Why this model cannot fill in the middle, or empty when it can. */
    static Optional<String> problem(ModelServer target) {
        if (Capabilities.of(target).contains("insert")) {
            return Optional.empty();
        }
        return Optional.of("Model '" + target.spec().alias() + "' cannot insert (fill in the middle between 'prompt'"
                + " and 'suffix'): its vocabulary has no fill-in-the-middle tokens (tokenizer.ggml.fim_pre_token_id)."
                + " Set " + target.spec().property("model.path") + " to a code model that has them (Qwen2.5-Coder,"
                + " CodeLlama, StarCoder2), or leave 'suffix' out.");
    }

    /** The request for {@code /infill}: one prompt, not streamed (the answer is relayed as one event). */
    static ObjectNode request(ObjectNode completions) {
        ObjectNode infill = completions.deepCopy();
        infill.set("input_prefix", completions.get("prompt"));
        infill.set("input_suffix", completions.get("suffix"));
        JsonNode max = completions.get("max_tokens");
        if (max != null && max.isNumber()) {
            infill.put("n_predict", max.asInt());
        }
        infill.remove(java.util.List.of("prompt", "suffix", "max_tokens", "stream", "stream_options"));
        return infill;
    }

    /** {@code /infill}'s answer as OpenAI's {@code text_completion}. */
    static ObjectNode answer(JsonNode infill, String model) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("id", "cmpl-" + java.util.UUID.randomUUID()).put("object", "text_completion")
                .put("created", System.currentTimeMillis() / 1000).put("model", model);
        String stop = infill.path("stop_type").asText("");
        out.putArray("choices").addObject().put("text", infill.path("content").asText("")).put("index", 0)
                .putNull("logprobs").put("finish_reason", stop.equals("limit") ? "length" : "stop");
        int prompt = infill.path("tokens_evaluated").asInt(0);
        int completion = infill.path("tokens_predicted").asInt(0);
        out.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
        if (infill.has("timings")) {
            out.set("timings", infill.get("timings"));
        }
        return out;
    }
}
