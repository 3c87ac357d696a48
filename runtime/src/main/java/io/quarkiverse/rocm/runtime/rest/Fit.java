package io.quarkiverse.rocm.runtime.rest;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkiverse.rocm.runtime.server.ModelServer;

/**
 * Whether a model can take a request: the endpoints a model serves (an embedding model or a reranker serves only its
 * own), and what the request needs that a model may lack (images, fill in the middle, tools). A refusal is a 400 that
 * names the property that would make it possible.
 */
final class Fit {

    /** The models an endpoint is for. */
    enum Family {
        /** Chat and completions: a model that is neither an embedding model nor a reranker. */
        GENERATION(null, null, null, null),
        EMBEDDINGS("embeddings", "serve embeddings", "serves embeddings", "embeddings"),
        RERANK("reranking", "rank documents", "ranks documents", "rerank"),
        /** Every model (the tokenizer's endpoints). */
        ANY(null, null, null, null);

        final String property;
        final String does;
        final String only;
        final String endpoint;

        Family(String property, String does, String only, String endpoint) {
            this.property = property;
            this.does = does;
            this.only = only;
            this.endpoint = endpoint;
        }

        /** The family of what a model serves. */
        static Family of(ModelServer target) {
            return target.spec().embeddings() ? EMBEDDINGS : target.spec().reranking() ? RERANK : GENERATION;
        }
    }

    private Fit() {
    }

    /** Why this model cannot take this request of {@code kind}, or null. */
    static OpenAiErrors.Answer unfit(Kind kind, ModelServer target, ObjectNode request, ModelLookup models) {
        String alias = target.spec().alias();
        Family wants = kind.family();
        Family serves = Family.of(target);
        if (wants != Family.ANY && serves != wants) {
            return OpenAiErrors.badRequest(serves == Family.GENERATION
                    ? "Model '" + alias + "' does not " + wants.does + ": set " + target.spec().property(wants.property)
                            + "=true on a model for it (such a model gets a server of its own)."
                    : "Model '" + alias + "' only " + serves.only + ": send its requests to the " + serves.endpoint
                            + " endpoint (.../" + serves.endpoint + "), or choose another model (available: "
                            + String.join(", ", models.aliases()) + ").",
                    "model");
        }
        if (kind == Kind.MESSAGES && !target.spec().adapters().isEmpty()) {
            return OpenAiErrors.badRequest("Model '" + alias + "' has LoRA adapters ("
                    + target.spec().property("lora.*") + "), and llama-server's Messages API drops the choice of"
                    + " adapters a request makes, so a prompt cached under one adapter could answer a request for"
                    + " another: send this model's requests to the chat completions or Responses API, or serve its"
                    + " adapters from a model of their own.", "model");
        }
        String image = firstImage(kind, request);
        if (image != null) {
            Optional<String> cannot = target.visionProblem();
            if (cannot.isPresent()) {
                return OpenAiErrors.badRequest(cannot.get(), image);
            }
        }
        if (kind == Kind.INFILL || (kind == Kind.COMPLETION && Infill.asked(request))) {
            Optional<String> cannot = Infill.problem(target);
            if (cannot.isPresent()) {
                return OpenAiErrors.badRequest(cannot.get(), kind == Kind.INFILL ? "model" : "suffix");
            }
        }
        JsonNode tools = request.get("tools");
        if (tools != null && tools.isArray() && !tools.isEmpty()) {
            Optional<String> cannot = target.toolsProblem();
            if (cannot.isPresent()) {
                return OpenAiErrors.badRequest(cannot.get(), "tools");
            }
        }
        return null;
    }

    /**
     * The JSON path of a request's first image, or null when it has none: an {@code image_url} part of a chat
     * message, an {@code image} block of an Anthropic message, an {@code input_image} part of a Responses input item.
     */
    static String firstImage(Kind kind, ObjectNode request) {
        String list = kind == Kind.RESPONSES ? "input" : "messages";
        String type = switch (kind) {
            case CHAT -> "image_url";
            case MESSAGES, MESSAGES_COUNT_TOKENS -> "image";
            case RESPONSES -> "input_image";
            default -> null;
        };
        if (type == null) {
            return null;
        }
        JsonNode items = request.path(list);
        for (int i = 0; i < items.size(); i++) {
            JsonNode content = items.get(i).path("content");
            for (int j = 0; content.isArray() && j < content.size(); j++) {
                if (type.equals(content.get(j).path("type").asText())) {
                    return list + "[" + i + "].content[" + j + "]";
                }
            }
        }
        return null;
    }
}
