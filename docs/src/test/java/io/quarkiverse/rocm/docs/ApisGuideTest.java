package io.quarkiverse.rocm.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.RestAssured;

/** The APIs guide: its configuration block, then each of its commands, as a reader pastes them, with a key set. */
public class ApisGuideTest {

    static final String KEY = "a-key-for-the-guide";

    @RegisterExtension
    static final QuarkusUnitTest app = GuideApps.configured(new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Guide.class, Commands.class, GuideApps.class, ExampleFiles.class))
            .overrideConfigKey("API_KEY", KEY), "apis.adoc", "enable-config", "");

    @Test
    void everyCommandOfThePageAnswers() {
        List<String> commands = Guide.page("apis.adoc").commands();
        assertThat(commands).hasSize(4);
        Map<String, String> env = Map.of("API_KEY", KEY);
        String openai = Commands.run(commands.get(0), RestAssured.port, env);
        assertThat(openai).contains("\"object\":\"chat.completion\"").contains("\"object\":\"response\"")
                .contains(TinyModel.DEFAULT_REPLY);
        String anthropic = Commands.run(commands.get(1), RestAssured.port, env);
        assertThat(anthropic).contains("\"type\":\"message\"").contains(TinyModel.DEFAULT_REPLY).contains("\"input_tokens\"");
        String ollama = Commands.run(commands.get(2), RestAssured.port, env);
        assertThat(ollama).contains("\"done\":true").contains(TinyModel.DEFAULT_REPLY).contains("\"name\":\"default:latest\"");
        String tools = Commands.run(commands.get(3), RestAssured.port, env);
        assertThat(tools).contains("\"tokens\":[").contains("\"capabilities\":[");
    }

    @Test
    void withoutTheKeyEveryRouteRefuses() {
        List<String> commands = Guide.page("apis.adoc").commands();
        for (String command : commands) {
            assertThat(command).contains("$API_KEY");
        }
        RestAssured.given().body("{}").post("/v1/chat/completions").then().statusCode(401);
        RestAssured.given().body("{}").post("/api/chat").then().statusCode(401);
    }
}
