package org.acme;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.scoring.ScoringModel;
import io.quarkiverse.langchain4j.ModelName;

@ApplicationScoped
public class Library {

    // tag::models[]
    @Inject
    @ModelName("embed")
    EmbeddingModel embeddings; // RocmEmbeddingModel: llama-server --embeddings

    @Inject
    @ModelName("rank")
    ScoringModel scoring; // RocmScoringModel: llama-server --reranking, one /v1/rerank per call
    // end::models[]

    public Embedding embed(String text) {
        return embeddings.embed(text).content();
    }

    // tag::rerank[]
    public List<Double> rank(String query, List<String> documents) {
        return scoring.scoreAll(documents.stream().map(TextSegment::from).toList(), query).content();
    }
    // end::rerank[]
}
