package io.quarkiverse.rocm.deployment;

import static io.restassured.RestAssured.given;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** The OpenAI API is not served unless asked for, even with quarkus-rest present. */
public class OpenAiApiDisabledByDefaultTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(TestModels.class))
            .overrideConfigKey("quarkus.rocm.model.path", TestModels.tiny().toString())
            .overrideConfigKey("quarkus.rocm.threads", "1");

    @Test
    void noEndpoints() {
        given().get("/v1/models").then().statusCode(404);
        given().body("{}").post("/v1/chat/completions").then().statusCode(404);
    }
}
