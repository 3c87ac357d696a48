package io.quarkiverse.rocm.runtime.rest;

import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkiverse.rocm.runtime.client.ExchangeObserver;
import io.quarkiverse.rocm.runtime.client.LlamaServerClient;
import io.quarkiverse.rocm.runtime.json.Json;
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/**
 * Refuses a request whose prompt and {@code max_tokens} together cannot fit the model's context per request, before
 * it takes a slot (llama-server itself refuses only a prompt larger than the context, and cuts an answer short at the
 * context's end). Cheap first: a prompt has at most as many tokens as its text has bytes (every token of text stands
 * for one byte or more), plus the markers the chat template adds, so a request whose body, an allowance for the
 * template and its {@code max_tokens} fit is let through without counting; only a request near the limit is counted,
 * exactly, by the model's own llama-server (its template and tokenizer). A request with images, or for a model whose
 * context is not known here (remote replicas), is left to llama-server's own check.
 */
final class ContextGuard {

    /** What a chat template adds around the messages, at most (markers, roles, a default system prompt). */
    static final int TEMPLATE_ALLOWANCE = 1024;

    private ContextGuard() {
    }

    /** The tokens a request asks to generate at most, or 0 when it leaves it open. */
    static int maxTokens(ObjectNode request) {
        for (String field : new String[] { "max_completion_tokens", "max_output_tokens", "max_tokens" }) {
            JsonNode v = request.get(field);
            if (v != null && v.isIntegralNumber()) {
                return v.asInt();
            }
        }
        return 0;
    }

    /** Whether the request surely fits (or cannot be counted here), so that no count is needed. */
    static boolean surelyFits(Kind kind, ObjectNode request, int bodyBytes, int context) {
        boolean countable = kind == Kind.CHAT || kind == Kind.RESPONSES || kind == Kind.MESSAGES
                || (kind == Kind.COMPLETION && request.path("prompt").isTextual());
        if (!countable || context <= 0 || (long) bodyBytes + TEMPLATE_ALLOWANCE + maxTokens(request) <= context) {
            return true;
        }
        return Fit.firstImage(kind, request) != null; // near the limit only: images are llama-server's to count
    }

    /** The prompt's tokens as the model's llama-server counts them for this request. */
    static CompletableFuture<Integer> count(LlamaServerClient client, Kind kind, ObjectNode request, long timeout) {
        return switch (kind) {
            case MESSAGES -> post(client, "/v1/messages/count_tokens", strip(request), timeout)
                    .thenApply(r -> r.path("input_tokens").asInt());
            case RESPONSES -> post(client, "/v1/responses/input_tokens", strip(request), timeout)
                    .thenApply(r -> r.path("input_tokens").asInt());
            case COMPLETION -> post(client, "/tokenize", Json.MAPPER.createObjectNode().put("content",
                    request.path("prompt").asText()).put("add_special", true), timeout)
                    .thenApply(r -> r.path("tokens").size());
            default -> { // chat: the template's prompt (with the tools), then its tokens
                ObjectNode template = Json.MAPPER.createObjectNode();
                template.set("messages", request.get("messages"));
                if (request.has("tools")) {
                    template.set("tools", request.get("tools"));
                }
                yield post(client, "/apply-template", template, timeout)
                        .thenCompose(r -> post(client, "/tokenize", Json.MAPPER.createObjectNode()
                                .put("content", r.path("prompt").asText()).put("parse_special", true), timeout))
                        .thenApply(r -> r.path("tokens").size());
            }
        };
    }

    /** The refusal of a request that does not fit. */
    static OpenAiErrors.Answer exceeded(ModelServer target, int prompt, int max) {
        int context = target.spec().contextSize();
        return OpenAiErrors.of(400, "invalid_request_error", "context_length_exceeded", "messages", "This request"
                + " needs " + prompt + " prompt tokens" + (max > 0 ? " and up to " + max + " tokens of answer (its"
                        + " max_tokens)" : "")
                + ", more than the " + context + " tokens per request of model '" + target.spec().alias() + "'."
                + " Shorten the conversation" + (max > 0 ? ", lower max_tokens," : "") + " or raise "
                + target.spec().property("context-size") + ".");
    }

    private static ObjectNode strip(ObjectNode request) {
        ObjectNode copy = request.deepCopy();
        copy.remove(java.util.List.of("stream", "stream_options"));
        return copy;
    }

    private static CompletableFuture<JsonNode> post(LlamaServerClient client, String path, ObjectNode body,
            long timeout) {
        Buffer bytes;
        try {
            bytes = Buffer.buffer(Json.MAPPER.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
        return client.send(HttpMethod.POST, path, bytes, timeout, ExchangeObserver.Request.OWN).thenApply(r -> {
            if (r.status() != 200) {
                throw client.httpError(r.status(), r.body());
            }
            try {
                return r.json() != null ? r.json() : Json.MAPPER.readTree(r.body().getBytes());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
