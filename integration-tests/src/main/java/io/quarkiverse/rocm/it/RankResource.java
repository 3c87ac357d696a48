package io.quarkiverse.rocm.it;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.scoring.ScoringModel;
import io.quarkiverse.langchain4j.ModelName;
import io.smallrye.common.annotation.Blocking;

/**
 * The reranker over HTTP: {@code GET /rank?q=alpha&d=bravo&d=the+alpha} answers the documents' scores, one per line,
 * in their order (the tiny reranker scores a document high when the query has its last word).
 */
@Path("/rank")
public class RankResource {

    @Inject
    @ModelName("rank")
    ScoringModel scoring;

    @GET
    @Blocking
    @Produces(MediaType.TEXT_PLAIN)
    public String rank(@QueryParam("q") String query, @QueryParam("d") List<String> documents) {
        List<Double> scores = scoring.scoreAll(documents.stream().map(TextSegment::from).toList(), query).content();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < scores.size(); i++) {
            out.append(String.format(java.util.Locale.ROOT, "%.4f %s%n", scores.get(i), documents.get(i)));
        }
        return out.toString();
    }
}
