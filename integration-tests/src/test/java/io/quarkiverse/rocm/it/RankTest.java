package io.quarkiverse.rocm.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The demo's reranker, through its ScoringModel endpoint and the API's {@code /v1/rerank}. */
@QuarkusTest
class RankTest {

    @Test
    void theDocumentWhoseLastWordTheQueryHasRanksFirst() {
        given().queryParam("q", "alpha").queryParam("d", "bravo", "the alpha").get("/rank").then().statusCode(200)
                .body(equalTo("0.0488 bravo\n0.9418 the alpha\n"));
        given().contentType("application/json")
                .body("{\"model\":\"rank\",\"query\":\"alpha\",\"documents\":[\"bravo\",\"the alpha\"]}")
                .post("/v1/rerank").then().statusCode(200).body("results[0].index", equalTo(1));
    }
}
