package io.quarkiverse.rocm.runtime.langchain4j;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;
import io.quarkiverse.rocm.runtime.client.LlamaServerClient;
import io.quarkiverse.rocm.runtime.json.Json;

/**
 * A LangChain4j embedding model on a llama-server started with {@code quarkus.rocm."name".embeddings=true}: one
 * {@code /v1/embeddings} request per batch.
 */
public class RocmEmbeddingModel implements EmbeddingModel {

    private final LlamaServerClient client;
    private final Duration timeout;
    private final boolean captureContent;
    private volatile int dimension = -1;

    public RocmEmbeddingModel(LlamaServerClient client, Duration timeout) {
        this(client, timeout, false);
    }

    /** @param captureContent whether the requests' content goes to the traces and the Dev UI */
    public RocmEmbeddingModel(LlamaServerClient client, Duration timeout, boolean captureContent) {
        if (!client.server().spec().embeddings()) {
            throw new IllegalArgumentException("model '" + client.server().spec().alias() + "' does not serve"
                    + " embeddings: set " + client.server().spec().property("embeddings") + "=true");
        }
        this.client = client;
        this.timeout = timeout;
        this.captureContent = captureContent;
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("model", modelName());
        ArrayNode input = body.putArray("input");
        segments.forEach(s -> input.add(s.text()));
        JsonNode json = Errors.postJson(client, "/v1/embeddings", body, timeout, captureContent,
                "RocmEmbeddingModel.embedAll()");
        List<Embedding> out = new ArrayList<>();
        for (JsonNode item : json.path("data")) {
            JsonNode vector = item.path("embedding");
            float[] v = new float[vector.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) vector.get(i).asDouble();
            }
            out.add(new Embedding(v));
        }
        if (out.size() != segments.size()) {
            throw new InternalServerException("llama-server returned " + out.size() + " embeddings for "
                    + segments.size() + " texts");
        }
        if (!out.isEmpty()) {
            dimension = out.get(0).dimension();
        }
        JsonNode usage = json.path("usage");
        return Response.from(out, new TokenUsage(usage.path("prompt_tokens").asInt(), 0));
    }

    @Override
    public int dimension() {
        if (dimension < 0) {
            dimension = embed("dimension").content().dimension();
        }
        return dimension;
    }

    @Override
    public String modelName() {
        return client.server().spec().alias();
    }
}
