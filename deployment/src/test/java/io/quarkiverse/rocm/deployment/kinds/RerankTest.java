package io.quarkiverse.rocm.deployment.kinds;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.scoring.ScoringModel;
import io.quarkiverse.langchain4j.ModelName;
import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkiverse.rocm.testing.TinyReranker;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.path.json.JsonPath;

/**
 * A reranker ({@code reranking=true}) on the tiny reranker: the {@code rocm} scoring model and {@code /v1/rerank}
 * order documents as the model says (a document whose last word the query has first), with the same scores; a
 * reranker refuses chat and a chat model refuses rerank, naming the property.
 */
public class RerankTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.rocm.model.path", tiny().toString())
            .overrideConfigKey("quarkus.rocm.threads", "1")
            .overrideConfigKey("quarkus.rocm.rank.model.path", reranker().toString())
            .overrideConfigKey("quarkus.rocm.rank.reranking", "true")
            .overrideConfigKey("quarkus.rocm.rank.threads", "1")
            .overrideConfigKey("quarkus.rocm.openai.enabled", "true")
            .overrideConfigKey("quarkus.langchain4j.chat-model.provider", "rocm")
            .overrideConfigKey("quarkus.langchain4j.rank.scoring-model.provider", "rocm");

    @Inject
    @ModelName("rank")
    ScoringModel scoring;

    static Path tiny() {
        try {
            return TinyModel.defaults().ensure(Path.of("target", "test-models", "tiny.gguf").toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path reranker() {
        try {
            return TinyReranker.ensure(Path.of("target", "test-models", "tiny-reranker.gguf").toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theScoringModelAndTheApiRankTheDocumentThatMatchesTheQueryFirst() {
        List<String> documents = List.of("bravo", "the alpha", "charlie delta", "alpha bravo");
        Response<List<Double>> scored = scoring.scoreAll(documents.stream().map(TextSegment::from).toList(), "alpha");
        List<Double> scores = scored.content();
        assertThat(scores).hasSize(4);
        assertThat(scores.get(1)).as("its last word is in the query").isGreaterThan(0.9);
        assertThat(List.of(scores.get(0), scores.get(2), scores.get(3))).allMatch(s -> s < 0.1);
        assertThat(scored.tokenUsage().inputTokenCount()).isPositive();

        JsonPath api = given().contentType("application/json").body("{\"model\":\"rank\",\"query\":\"alpha\","
                + "\"documents\":[\"bravo\",\"the alpha\",\"charlie delta\",\"alpha bravo\"],\"top_n\":2}")
                .post("/v1/rerank").then().statusCode(200).extract().jsonPath();
        assertThat(api.getList("results.index", Integer.class)).as("the best first, top_n of them").hasSize(2)
                .first().isEqualTo(1);
        assertThat(api.getDouble("results[0].relevance_score")).as("llama-server's own score, relayed (read as a float)")
                .isCloseTo(scores.get(1), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(scores.get(1)).as("the tiny reranker's score for one copy of the word").isCloseTo(0.9418,
                org.assertj.core.data.Offset.offset(1e-3));
    }

    @Test
    void langChain4jsReRankingAggregatorUsesItWithNoGlue() {
        var aggregator = dev.langchain4j.rag.content.aggregator.ReRankingContentAggregator.builder().scoringModel(scoring)
                .build();
        var query = dev.langchain4j.rag.query.Query.from("alpha");
        List<dev.langchain4j.rag.content.Content> ranked = aggregator.aggregate(java.util.Map.of(query,
                List.of(List.of(dev.langchain4j.rag.content.Content.from("charlie"),
                        dev.langchain4j.rag.content.Content.from("the alpha")))));
        assertThat(ranked.get(0).textSegment().text()).isEqualTo("the alpha");
    }

    @Test
    void aRerankerOnlyRanksAndAChatModelDoesNotRank() {
        given().contentType("application/json")
                .body("{\"model\":\"rank\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(400)
                .body("error.message", org.hamcrest.Matchers.containsString("only ranks documents"));
        given().contentType("application/json").body("{\"model\":\"default\",\"query\":\"alpha\",\"documents\":[\"a\"]}")
                .post("/v1/rerank").then().statusCode(400)
                .body("error.message", org.hamcrest.Matchers.containsString("set quarkus.rocm.reranking=true"));
        given().contentType("application/json").body("{\"model\":\"rank\",\"query\":\"alpha\",\"documents\":[]}")
                .post("/v1/rerank").then().statusCode(400).body("error.param", org.hamcrest.Matchers.equalTo("documents"));
    }
}
