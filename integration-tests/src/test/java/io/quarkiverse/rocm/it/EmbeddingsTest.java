package io.quarkiverse.rocm.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import io.quarkiverse.langchain4j.ModelName;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Embeddings from a llama-server started with --embeddings: through the API and as a LangChain4j EmbeddingModel. */
@QuarkusTest
class EmbeddingsTest {

    @Inject
    @ModelName("embed")
    EmbeddingModel embeddings;

    @Test
    void throughTheApi() {
        List<List<Float>> vectors = given().contentType(ContentType.JSON)
                .body("{\"model\":\"embed\",\"input\":[\"hello\",\"world\"]}").post("/v1/embeddings").then()
                .statusCode(200).body("object", equalTo("list")).body("data", hasSize(2))
                .body("data[0].embedding", hasSize(64)).extract().path("data.embedding");
        assertThat(vectors.get(0)).isNotEqualTo(vectors.get(1));
        given().contentType(ContentType.JSON).body("{\"model\":\"embed\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"x\"}]}").post("/v1/chat/completions").then().statusCode(400);
    }

    @Test
    void asAnEmbeddingModel() {
        List<Embedding> e = embeddings.embedAll(List.of(TextSegment.from("hello"), TextSegment.from("world"),
                TextSegment.from("hello"))).content();
        assertThat(e).hasSize(3);
        assertThat(e.get(0).dimension()).isEqualTo(64);
        assertThat(e.get(0).vector()).isEqualTo(e.get(2).vector()).isNotEqualTo(e.get(1).vector());
        assertThat(embeddings.dimension()).isEqualTo(64);
        assertThat(embeddings.modelName()).isEqualTo("embed");
    }
}
