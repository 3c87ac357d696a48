package io.quarkiverse.rocm.deployment.devmode;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The test that continuous testing runs in {@link DevModeContinuousTestingTest} (not named *Test: surefire must not
 * run it on its own).
 */
@QuarkusTest
public class AskDevModeET {

    @Test
    void theModelAnswers() {
        given().queryParam("model", "default").get("/dev-test/ask").then().statusCode(200)
                .body(equalTo("v1 I am the default model."));
    }
}
