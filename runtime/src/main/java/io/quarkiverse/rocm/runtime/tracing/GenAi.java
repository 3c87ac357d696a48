package io.quarkiverse.rocm.runtime.tracing;

import java.util.List;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The OpenTelemetry GenAI semantic conventions' attributes this extension records, and its own ({@code rocm.*}).
 */
final class GenAi {

    static final String PROVIDER = "llama.cpp";

    static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
    /** The older name of the provider, which tools built on earlier versions of the conventions read. */
    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("gen_ai.system");
    static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<Long> REQUEST_MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
    static final AttributeKey<Double> REQUEST_TEMPERATURE = AttributeKey.doubleKey("gen_ai.request.temperature");
    static final AttributeKey<Double> REQUEST_TOP_P = AttributeKey.doubleKey("gen_ai.request.top_p");
    static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    static final AttributeKey<List<String>> RESPONSE_FINISH_REASONS = AttributeKey
            .stringArrayKey("gen_ai.response.finish_reasons");
    static final AttributeKey<Long> USAGE_INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> USAGE_OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<Double> TIME_TO_FIRST_CHUNK = AttributeKey
            .doubleKey("gen_ai.response.time_to_first_chunk");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    /** The request's JSON, only with {@code quarkus.rocm.capture-content=true}. */
    static final AttributeKey<String> INPUT_MESSAGES = AttributeKey.stringKey("gen_ai.input.messages");
    /** The answer as llama-server sent it, only with {@code quarkus.rocm.capture-content=true}. */
    static final AttributeKey<String> OUTPUT_MESSAGES = AttributeKey.stringKey("gen_ai.output.messages");

    static final AttributeKey<Double> QUEUE_DURATION = AttributeKey.doubleKey("rocm.queue.duration");
    static final AttributeKey<Long> PROMPT_CACHED_TOKENS = AttributeKey.longKey("rocm.prompt.cached_tokens");
    static final AttributeKey<String> CALLER = AttributeKey.stringKey("rocm.caller");
    static final AttributeKey<String> ENDPOINT = AttributeKey.stringKey("rocm.endpoint");
    static final AttributeKey<String> REASON = AttributeKey.stringKey("rocm.reason");

    private GenAi() {
    }

    /** The operation of an endpoint of llama-server, as the conventions name it. */
    static String operation(String endpoint) {
        if (endpoint.endsWith("/chat/completions")) {
            return "chat";
        }
        if (endpoint.endsWith("/embeddings")) {
            return "embeddings";
        }
        if (endpoint.endsWith("/completions") || endpoint.endsWith("/completion")) {
            return "text_completion";
        }
        return endpoint;
    }
}
