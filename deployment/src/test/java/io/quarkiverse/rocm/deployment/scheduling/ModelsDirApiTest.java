package io.quarkiverse.rocm.deployment.scheduling;

import static io.quarkiverse.rocm.deployment.scheduling.SchedulingModels.file;
import static io.quarkiverse.rocm.deployment.scheduling.SchedulingModels.reply;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * {@code models-dir}: every GGUF file in the folder is a model named after it, unloaded until its first request,
 * listed by {@code /v1/models}, tunable by name; three of them answer concurrent requests, each with its own reply.
 */
public class ModelsDirApiTest {

    static final Path DIR = dir();

    static Path dir() {
        try {
            Path dir = Path.of("target", "test-models", "scheduling-dir").toAbsolutePath();
            Files.createDirectories(dir);
            for (String name : List.of("alpha", "bravo", "charlie")) {
                Files.copy(file(name), dir.resolve(name + ".gguf"), StandardCopyOption.REPLACE_EXISTING);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Api.class, SchedulingModels.class))
            .overrideConfigKey("quarkus.rocm.models-dir", DIR.toString())
            .overrideConfigKey("quarkus.rocm.alpha.threads", "1")
            .overrideConfigKey("quarkus.rocm.bravo.threads", "1")
            .overrideConfigKey("quarkus.rocm.charlie.threads", "1")
            .overrideConfigKey("quarkus.rocm.charlie.context-size", "1024")
            .overrideConfigKey("quarkus.rocm.openai.enabled", "true")
            .overrideConfigKey("quarkus.langchain4j.chat-model.provider", "rocm");

    @Test
    void theFolderIsServedModelByModel() throws Exception {
        List<String> ids = given().get("/v1/models").then().statusCode(200).extract().jsonPath().getList("data.id");
        assertThat(ids).containsExactly("alpha", "bravo", "charlie");
        assertThat(SchedulingModels.running()).as("nothing loaded before a request").isEmpty();
        assertThat(Api.state("bravo")).isEqualTo("unloaded");

        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            for (String model : List.of("alpha", "bravo", "charlie")) {
                answers.add(CompletableFuture.supplyAsync(() -> model + ": " + Api.chat(model)));
            }
        }
        for (CompletableFuture<String> a : answers) {
            String answer = a.get(60, TimeUnit.SECONDS);
            String model = answer.substring(0, answer.indexOf(':'));
            assertThat(answer).isEqualTo(model + ": " + reply(model));
        }
        assertThat(SchedulingModels.running()).containsExactly("alpha", "bravo", "charlie");
        assertThat(Api.describe("charlie").getInt("meta.n_ctx")).as("tuned by name").isEqualTo(1024);
    }
}
