package io.quarkiverse.rocm.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.RestAssured;

/**
 * The production guide's keys and roles: its configuration block with the three keys set, its commands with a
 * caller's and an operator's key, and the refusals it describes.
 */
public class ProductionGuideTest {

    static final Map<String, String> KEYS = Map.of("CHAT_KEY", "chat-key-1", "BATCH_KEY", "batch-key-2", "OPS_KEY",
            "ops-key-3");

    @RegisterExtension
    static final QuarkusUnitTest app = GuideApps.configured(keys(new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Guide.class, Commands.class, GuideApps.class, ExampleFiles.class))
            .overrideConfigKey("quarkus.rocm.openai.enabled", "true")), "production.adoc", "keys-config", "");

    static QuarkusUnitTest keys(QuarkusUnitTest app) {
        KEYS.forEach(app::overrideConfigKey);
        return app;
    }

    @Test
    void aCallerChatsAndAnOperatorLoads() {
        List<String> commands = Guide.page("production.adoc").commands();
        assertThat(commands).hasSize(1);
        String out = Commands.run(commands.get(0), RestAssured.port, KEYS);
        assertThat(out).contains(TinyModel.DEFAULT_REPLY).contains("\"state\":\"loaded\"");
    }

    @Test
    void theRefusalsThePageDescribes() {
        RestAssured.given().body("{}").post("/v1/chat/completions").then().statusCode(401);
        RestAssured.given().header("Authorization", "Bearer not-a-key").body("{}").post("/v1/chat/completions").then()
                .statusCode(401);
        RestAssured.given().header("Authorization", "Bearer chat-key-1").post("/v1/models/default/load").then()
                .statusCode(403);
        RestAssured.given().header("x-api-key", "batch-key-2").get("/v1/models").then().statusCode(200);
    }
}
