package io.quarkiverse.rocm.runtime.rest;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * The error shape of the API a route belongs to. Refusals are made in OpenAI's shape ({@link OpenAiErrors}) and
 * written in the route's: Anthropic's is {@code {"type":"error","error":{"type","message"}}}, its type named by the
 * status ({@code invalid_request_error}, {@code authentication_error}, {@code not_found_error}, ...).
 */
enum Dialect {
    OPENAI,
    ANTHROPIC,
    /** Ollama's: {@code {"error":"message"}}. */
    OLLAMA;

    /**
     * The dialect of a request's path: Anthropic's below {@code {root}/messages}, Ollama's for its {@code /api/}
     * routes (outside the OpenAI API's root).
     */
    static Dialect of(String root, String path) {
        return path.startsWith(root + "/messages") ? ANTHROPIC
                : !path.startsWith(root + "/") && path.contains("/api/") ? OLLAMA : OPENAI;
    }

    /** {@code answer} (in OpenAI's shape) in this dialect. */
    OpenAiErrors.Answer shape(OpenAiErrors.Answer answer) {
        if (this == OPENAI || answer.status() < 400) {
            return answer;
        }
        return new OpenAiErrors.Answer(answer.status(), answer.headers(), this == ANTHROPIC ? anthropic(answer).toBuffer()
                : new JsonObject().put("error", message(answer)).toBuffer());
    }

    /** An error that ends a stream that had started: an event in this dialect's stream. */
    Buffer streamError(OpenAiErrors.Answer answer) {
        return this == OPENAI ? Buffer.buffer("data: ").appendBuffer(answer.body()).appendString("\n\n")
                : Buffer.buffer("event: error\ndata: ").appendBuffer(anthropic(answer).toBuffer()).appendString("\n\n");
    }

    private static JsonObject anthropic(OpenAiErrors.Answer answer) {
        return new JsonObject().put("type", "error").put("error",
                new JsonObject().put("type", anthropicType(answer.status())).put("message", message(answer)));
    }

    private static String message(OpenAiErrors.Answer answer) {
        try {
            return new JsonObject(answer.body()).getJsonObject("error").getString("message");
        } catch (RuntimeException e) { // not OpenAI's shape: what it said, as it said it
            return answer.body().toString();
        }
    }

    /** Anthropic's error type of a status (its API's errors page). */
    static String anthropicType(int status) {
        return switch (status) {
            case 400 -> "invalid_request_error";
            case 413 -> "request_too_large";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            default -> "api_error";
        };
    }
}
