package io.quarkiverse.rocm.deployment.access;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** An application with one tiny model ("alpha") behind the OpenAI API, and how the access tests call it. */
final class AccessApp {

    static final String CHAT = "{\"model\":\"alpha\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
            + "\"max_tokens\":4}";

    private AccessApp() {
    }

    static QuarkusUnitTest app(Class<?>... classes) {
        Path model;
        try {
            model = TinyModel.builder().reply("Alpha speaking.").build()
                    .ensure(Path.of("target", "test-models", "access", "alpha.gguf").toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new QuarkusUnitTest()
                .withApplicationRoot(jar -> jar.addClasses(AccessApp.class).addClasses(classes))
                .overrideConfigKey("quarkus.rocm.openai.enabled", "true")
                .overrideConfigKey("quarkus.langchain4j.chat-model.provider", "rocm")
                .overrideConfigKey("quarkus.rocm.alpha.model.path", model.toString())
                .overrideConfigKey("quarkus.rocm.alpha.threads", "1");
    }

    static RequestSpecification bearer(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    static Response chat(RequestSpecification as) {
        return as.contentType("application/json").body(CHAT).post("/v1/chat/completions");
    }

    static Response load(RequestSpecification as) {
        return as.post("/v1/models/alpha/load");
    }
}
