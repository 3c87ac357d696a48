package io.quarkiverse.rocm.runtime.client;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What one answer of llama-server used and how it finished, read once per request: tokens from the answer's {@code usage}
 * object when it has one (OpenAI's chat and completions, Responses, Anthropic's Messages), else from llama-server's own
 * {@code timings} (every final chunk carries them, so a
 * streamed answer needs no extra usage chunk); the prompt tokens taken from llama-server's cache ({@code cache_n});
 * the model llama-server named and the choices' finish reasons.
 */
public record Usage(int promptTokens, int completionTokens, int cachedTokens, double tokensPerSecond,
        String responseModel, List<String> finishReasons) {

    /** The usage of a whole answer or of a stream's final chunk; null for an answer with neither usage nor timings. */
    public static Usage of(JsonNode answer) {
        JsonNode timings = answer.path("timings");
        JsonNode usage = answer.path("usage");
        int prompt, completion;
        if (usage.isObject() && usage.has("prompt_tokens")) { // chat completions, completions, embeddings
            prompt = usage.path("prompt_tokens").asInt();
            completion = usage.path("completion_tokens").asInt();
        } else if (usage.isObject() && usage.has("input_tokens")) {
            // Responses (its input counts the cached tokens) and Messages (Anthropic's does not: they are apart)
            prompt = usage.path("input_tokens").asInt() + usage.path("cache_read_input_tokens").asInt();
            completion = usage.path("output_tokens").asInt();
        } else if (timings.isObject()) {
            prompt = timings.path("prompt_n").asInt() + timings.path("cache_n").asInt();
            completion = timings.path("predicted_n").asInt();
        } else {
            return null;
        }
        List<String> reasons = new ArrayList<>(1);
        for (JsonNode choice : answer.path("choices")) {
            JsonNode reason = choice.get("finish_reason");
            if (reason != null && reason.isTextual()) {
                reasons.add(reason.asText());
            }
        }
        JsonNode model = answer.get("model");
        return new Usage(prompt, completion, timings.path("cache_n").asInt(), timings.path("predicted_per_second")
                .asDouble(), model != null && model.isTextual() ? model.asText() : null, List.copyOf(reasons));
    }

    /** Reports the usage of a whole answer or of a stream's final chunk; an answer with neither reports nothing. */
    public static void report(JsonNode answer, ExchangeObserver.Exchange exchange) {
        Usage usage = of(answer);
        if (usage != null) {
            exchange.usage(usage);
        }
    }

    /**
     * This usage, finished for {@code reason} when its own chunk named none: with {@code stream_options.include_usage}
     * llama-server sends the usage in a chunk of its own, with {@code "choices":[]}, after the one with the reason.
     */
    public Usage finishedFor(String reason) {
        return finishReasons.isEmpty() && reason != null
                ? new Usage(promptTokens, completionTokens, cachedTokens, tokensPerSecond, responseModel, List.of(reason))
                : this;
    }
}
