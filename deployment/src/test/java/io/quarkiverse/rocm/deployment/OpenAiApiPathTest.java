package io.quarkiverse.rocm.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** The API under a root path of one's choice. */
public class OpenAiApiPathTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(TestModels.class))
            .overrideConfigKey("quarkus.rocm.model.path", TestModels.tiny().toString())
            .overrideConfigKey("quarkus.rocm.threads", "1")
            .overrideConfigKey("quarkus.rocm.openai.enabled", "true")
            .overrideConfigKey("quarkus.rocm.openai.path", "/llm/openai/v1");

    @Test
    void servedThere() {
        given().get("/llm/openai/v1/models").then().statusCode(200).body("data[0].id", equalTo("default"));
        given().get("/v1/models").then().statusCode(404);
    }
}
