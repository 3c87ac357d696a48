package io.quarkiverse.rocm.runtime.rest;

import java.util.List;
import java.util.Map;

import io.quarkiverse.rocm.runtime.client.UpstreamException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** Errors in OpenAI's shape: {@code {"error":{"message","type","param","code"}}} with the matching status. */
final class OpenAiErrors {

    static final Map<String, List<String>> JSON = Map.of("Content-Type", List.of("application/json"));

    private OpenAiErrors() {
    }

    /** An answer as the client gets it (an error, mostly): status, headers and body. */
    record Answer(int status, Map<String, List<String>> headers, Buffer body) {
    }

    static Answer of(int status, String type, String code, String param, String message) {
        JsonObject error = new JsonObject().put("message", message).put("type", type).put("param", param)
                .put("code", code);
        Map<String, List<String>> headers = status == 429 || status == 503
                ? Map.of("Content-Type", List.of("application/json"), "Retry-After", List.of("1"))
                : Map.of("Content-Type", List.of("application/json"));
        return new Answer(status, headers, new JsonObject().put("error", error).toBuffer());
    }

    static Answer badRequest(String message, String param) {
        return of(400, "invalid_request_error", null, param, message);
    }

    static Answer modelNotFound(String model, List<String> known) {
        return of(404, "invalid_request_error", "model_not_found", "model", "The model '" + model
                + "' does not exist. Available models: " + String.join(", ", known) + ".");
    }

    static Answer tooLarge(long size, long limit) {
        return of(413, "invalid_request_error", "request_too_large", null, "The request body is " + size
                + " bytes; the limit is " + limit + " (quarkus.rocm.openai.max-body-size).");
    }

    /** A failure on the way to llama-server, as the status a client should see. */
    static Answer upstream(UpstreamException e) {
        return switch (e.kind()) {
            case BUSY -> of(429, "rate_limit_error", "model_busy", null, e.getMessage());
            case UNAVAILABLE -> of(503, "server_error", "model_unavailable", null, e.getMessage());
            case TIMEOUT -> of(504, "server_error", "timeout", null, e.getMessage());
            case CONNECTION_LOST -> of(502, "server_error", "model_crashed", null, e.getMessage());
            // llama-server's own error answer: its message kept, its type mapped to OpenAI's string codes where one
            // matches (context_length_exceeded)
            case HTTP -> of(e.status() >= 400 ? e.status() : 502,
                    e.status() == 401 ? "authentication_error"
                            : e.status() < 500 ? "invalid_request_error" : "server_error",
                    "exceed_context_size_error".equals(e.upstreamType()) ? "context_length_exceeded" : null, null,
                    e.upstreamMessage() != null ? e.upstreamMessage() : e.getMessage());
        };
    }
}
