package io.quarkiverse.rocm.runtime.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Token usage of one answer of llama-server for the metrics, read once per request: from OpenAI's {@code usage}
 * object when the answer has one, else from llama-server's own {@code timings} (every final chunk carries them, so a
 * streamed answer needs no extra usage chunk).
 */
public final class Usage {

    private Usage() {
    }

    /** Reports the usage of a whole answer or of a stream's final chunk; an answer with neither reports nothing. */
    public static void report(JsonNode answer, ExchangeObserver.Exchange exchange) {
        JsonNode timings = answer.path("timings");
        double perSecond = timings.path("predicted_per_second").asDouble();
        JsonNode usage = answer.path("usage");
        if (usage.isObject()) {
            exchange.usage(usage.path("prompt_tokens").asInt(), usage.path("completion_tokens").asInt(), perSecond);
        } else if (timings.isObject()) {
            exchange.usage(timings.path("prompt_n").asInt() + timings.path("cache_n").asInt(),
                    timings.path("predicted_n").asInt(), perSecond);
        }
    }
}
