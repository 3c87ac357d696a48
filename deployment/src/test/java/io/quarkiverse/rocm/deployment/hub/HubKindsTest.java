package io.quarkiverse.rocm.deployment.hub;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.rocm.runtime.langchain4j.RocmChatModel;
import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkiverse.rocm.testing.TinyProjector;
import io.quarkiverse.rocm.testing.hub.TestHub;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.path.json.JsonPath;

/**
 * A vision model and its draft, both named by their repositories: the model's projector is pulled with it (the
 * repository's {@code mmproj} file, as llama-server's {@code -hf} does) and read images; the draft
 * ({@code draft.hf-repo}) is pulled before the model starts and drafts.
 */
public class HubKindsTest {

    static final String VISION = "tiny-org/tiny-vision-GGUF";
    static final String DRAFT = "tiny-org/tiny-draft-GGUF";
    static final TestHub HUB = new TestHub()
            .file(VISION, "tiny-vision-Q8_0.gguf", TinyModel.defaults().toByteArray())
            .file(VISION, "mmproj-tiny-vision-f16.gguf", TinyProjector.toByteArray())
            .file(DRAFT, "tiny-draft-Q8_0.gguf", TinyModel.defaults().toByteArray());
    static final Path CACHE = HubApps.cache("HubKindsTest");

    @RegisterExtension
    static final QuarkusUnitTest app = HubApps.app(HUB, CACHE)
            .overrideConfigKey("quarkus.rocm.model.hf-repo", VISION + ":Q8_0")
            .overrideConfigKey("quarkus.rocm.draft.hf-repo", DRAFT + ":Q8_0");

    @Inject
    RocmChatModel model;

    @AfterAll
    static void close() {
        HUB.close();
    }

    static JsonPath chat(String content) {
        return given().contentType("application/json").body("{\"temperature\":0,\"messages\":[{\"role\":\"user\","
                + "\"content\":" + content + "}]}").post("/v1/chat/completions").then().statusCode(200).extract()
                .jsonPath();
    }

    @Test
    void theProjectorAndTheDraftArePulledWithTheModel() {
        String png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";
        JsonPath text = chat("[{\"type\":\"text\",\"text\":\"What is this?\"}]");
        JsonPath image = chat(
                "[{\"type\":\"text\",\"text\":\"What is this?\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\""
                        + png + "\"}}]");
        assertThat(image.getString("choices[0].message.content")).isEqualTo(TinyModel.DEFAULT_REPLY);
        assertThat(image.getInt("usage.prompt_tokens"))
                .isEqualTo(text.getInt("usage.prompt_tokens") + TinyProjector.IMAGE_TOKENS);
        assertThat(image.getInt("timings.draft_n")).as("the pulled draft drafts").isPositive();
        String snapshots = "/snapshots/";
        assertThat(model.client().server().commandLine())
                .containsSubsequence("--mmproj", CACHE.resolve("models--tiny-org--tiny-vision-GGUF" + snapshots
                        + HUB.commit(VISION) + "/mmproj-tiny-vision-f16.gguf").toString())
                .containsSubsequence("--spec-draft-model", CACHE.resolve("models--tiny-org--tiny-draft-GGUF"
                        + snapshots + HUB.commit(DRAFT) + "/tiny-draft-Q8_0.gguf").toString());
    }
}
