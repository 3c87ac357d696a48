package io.quarkiverse.rocm.runtime.tracing;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.quarkiverse.rocm.runtime.client.ExchangeObserver;
import io.quarkiverse.rocm.runtime.client.Usage;

/**
 * A span per request to a model (the OpenAI API's and the chat and embedding models' alike), after OpenTelemetry's
 * GenAI semantic conventions: named {@code "{operation} {model}"}, of kind CLIENT, a child of the current span (the
 * HTTP server's for the API, the caller's for the chat model), with the request's model and parameters, the answer's
 * model, finish reasons and token usage, the time to the first chunk, and this extension's queue wait and cached
 * prompt tokens. Prompts and answers are recorded only with {@code quarkus.rocm.capture-content=true}
 * ({@code gen_ai.input.messages}: the request's JSON; {@code gen_ai.output.messages}: the answer as llama-server sent
 * it). A bean only with quarkus-opentelemetry in the application.
 */
@Singleton
public class ExchangeTracer implements ExchangeObserver {

    /** The model of a request refused before one was chosen: the HTTP server's span tells that story. */
    private static final String NO_MODEL = "none";

    private final Tracer tracer;

    @Inject
    public ExchangeTracer(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("io.quarkiverse.rocm");
    }

    @Override
    public Exchange start(String model, String endpoint, Request request) {
        if (NO_MODEL.equals(model)) {
            return Exchange.NOOP;
        }
        String operation = GenAi.operation(endpoint);
        SpanBuilder span = tracer.spanBuilder(operation + " " + model).setSpanKind(SpanKind.CLIENT)
                .setParent(Context.current())
                .setAttribute(GenAi.OPERATION_NAME, operation)
                .setAttribute(GenAi.PROVIDER_NAME, GenAi.PROVIDER)
                .setAttribute(GenAi.SYSTEM, GenAi.PROVIDER)
                .setAttribute(GenAi.REQUEST_MODEL, model)
                .setAttribute(GenAi.ENDPOINT, endpoint)
                .setAttribute(GenAi.CALLER, request.caller());
        if (request.maxTokens() != null) {
            span.setAttribute(GenAi.REQUEST_MAX_TOKENS, request.maxTokens().longValue());
        }
        if (request.temperature() != null) {
            span.setAttribute(GenAi.REQUEST_TEMPERATURE, request.temperature());
        }
        if (request.topP() != null) {
            span.setAttribute(GenAi.REQUEST_TOP_P, request.topP());
        }
        if (request.captured()) {
            span.setAttribute(GenAi.INPUT_MESSAGES, request.content());
        }
        return new Traced(span.startSpan());
    }

    /** One request's span. */
    private static final class Traced implements Exchange {
        private final Span span;
        private final long start = System.nanoTime();

        Traced(Span span) {
            this.span = span;
        }

        @Override
        public void admitted() {
            span.setAttribute(GenAi.QUEUE_DURATION, seconds(System.nanoTime() - start));
        }

        @Override
        public void firstToken() {
            span.setAttribute(GenAi.TIME_TO_FIRST_CHUNK, seconds(System.nanoTime() - start));
        }

        @Override
        public void usage(Usage usage) {
            span.setAttribute(GenAi.USAGE_INPUT_TOKENS, (long) usage.promptTokens());
            span.setAttribute(GenAi.USAGE_OUTPUT_TOKENS, (long) usage.completionTokens());
            span.setAttribute(GenAi.PROMPT_CACHED_TOKENS, (long) usage.cachedTokens());
            if (usage.responseModel() != null) {
                span.setAttribute(GenAi.RESPONSE_MODEL, usage.responseModel());
            }
            if (!usage.finishReasons().isEmpty()) {
                span.setAttribute(GenAi.RESPONSE_FINISH_REASONS, usage.finishReasons());
            }
        }

        @Override
        public void answer(String content) {
            span.setAttribute(GenAi.OUTPUT_MESSAGES, content);
        }

        @Override
        public void end(int status) {
            if (status == 0 || status >= 400) {
                String type = status == 0 ? "connection_broken" : status == 499 ? "cancelled" : Integer.toString(status);
                span.setAttribute(GenAi.ERROR_TYPE, type);
                span.setStatus(StatusCode.ERROR, status == 0 ? "the connection to llama-server broke"
                        : status == 499 ? "the caller gave up" : "HTTP " + status);
            }
            span.end();
        }

        private static double seconds(long nanos) {
            return nanos / 1e9;
        }
    }
}
