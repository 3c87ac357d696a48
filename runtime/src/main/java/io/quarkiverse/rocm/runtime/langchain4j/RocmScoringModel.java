package io.quarkiverse.rocm.runtime.langchain4j;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;
import dev.langchain4j.model.scoring.ScoringModel;
import io.quarkiverse.rocm.runtime.client.LlamaServerClient;
import io.quarkiverse.rocm.runtime.json.Json;

/**
 * A LangChain4j scoring model (a reranker) on a llama-server started with {@code quarkus.rocm."name".reranking=true}:
 * one {@code /v1/rerank} request per call, the scores returned in the segments' order (llama-server sorts its
 * results by score; each carries its document's index).
 */
public class RocmScoringModel implements ScoringModel {

    private final LlamaServerClient client;
    private final Duration timeout;
    private final boolean captureContent;

    /** @param captureContent whether the requests' content goes to the traces and the Dev UI */
    public RocmScoringModel(LlamaServerClient client, Duration timeout, boolean captureContent) {
        if (!client.server().spec().reranking()) {
            throw new IllegalArgumentException("model '" + client.server().spec().alias() + "' does not rank"
                    + " documents: set " + client.server().spec().property("reranking") + "=true on a reranker model");
        }
        this.client = client;
        this.timeout = timeout;
        this.captureContent = captureContent;
    }

    @Override
    public Response<List<Double>> scoreAll(List<TextSegment> segments, String query) {
        if (segments.isEmpty()) {
            return Response.from(List.of(), new TokenUsage(0, 0));
        }
        ObjectNode body = Json.MAPPER.createObjectNode().put("model", client.server().spec().alias()).put("query", query)
                .put("top_n", segments.size());
        ArrayNode documents = body.putArray("documents");
        segments.forEach(s -> documents.add(s.text()));
        JsonNode json = Errors.postJson(client, "/v1/rerank", body, timeout, captureContent,
                "RocmScoringModel.scoreAll()");
        Double[] scores = new Double[segments.size()];
        for (JsonNode result : json.path("results")) {
            int index = result.path("index").asInt(-1);
            if (index < 0 || index >= scores.length || !result.path("relevance_score").isNumber()) {
                throw new InternalServerException("llama-server sent a rerank result without a valid index and"
                        + " relevance_score: " + result);
            }
            scores[index] = result.path("relevance_score").asDouble();
        }
        if (Arrays.asList(scores).contains(null)) {
            throw new InternalServerException("llama-server scored " + json.path("results").size() + " of "
                    + segments.size() + " documents");
        }
        return Response.from(new ArrayList<>(Arrays.asList(scores)),
                new TokenUsage(json.path("usage").path("prompt_tokens").asInt(), 0));
    }
}
