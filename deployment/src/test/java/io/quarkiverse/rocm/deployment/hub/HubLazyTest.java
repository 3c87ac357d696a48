package io.quarkiverse.rocm.deployment.hub;

import static io.quarkiverse.rocm.deployment.hub.HubApps.REPO;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.rocm.testing.hub.TestHub;
import io.quarkus.test.QuarkusUnitTest;

/**
 * {@code start=lazy}: the first request pulls the model and is answered; a model whose repository needs a token fails
 * its requests with the hub's reason (no hang), and the next request tries again.
 */
public class HubLazyTest {

    static final TestHub HUB = HubApps.hub().file("tiny-org/gated-GGUF", "gated-Q8_0.gguf", HubApps.gguf("gated"))
            .requireToken("tiny-org/gated-GGUF", "hf_0123456789abcdefghijklmnopqrstuvwx");
    static final Path CACHE = HubApps.cache("HubLazyTest");

    @RegisterExtension
    static final QuarkusUnitTest app = HubApps.app(HUB, CACHE)
            .overrideConfigKey("quarkus.rocm.start", "lazy")
            .overrideConfigKey("quarkus.rocm.open.model.hf-repo", REPO + ":F16")
            .overrideConfigKey("quarkus.rocm.open.threads", "1")
            .overrideConfigKey("quarkus.rocm.gated.model.hf-repo", "tiny-org/gated-GGUF")
            .overrideConfigKey("quarkus.rocm.gated.threads", "1");

    @AfterAll
    static void close() {
        HUB.close();
    }

    @Test
    void theFirstRequestPullsTheModel() {
        assertThat(HubApps.seen()).as("nothing pulled at the start").noneMatch(s -> s.path().contains("tiny-llama"));
        assertThat(chat("open")).isEqualTo("200: " + HubApps.reply("F16"));
    }

    @Test
    void aRefusedPullFailsTheRequestWithTheHubsReason() {
        String answer = chat("gated");
        assertThat(answer).startsWith("503: ").contains("Cannot pull model 'gated'")
                .contains("quarkus.rocm.gated.model.hf-repo=tiny-org/gated-GGUF")
                .contains("401 GatedRepo").contains("a token is needed for it");
        HubApps.clearSeen();
        assertThat(chat("gated")).as("tried again").contains("401 GatedRepo");
        assertThat(HubApps.seen()).as("the hub was asked again").isNotEmpty();
    }

    static String chat(String model) {
        var r = given().contentType("application/json").body("{\"model\":\"" + model
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}").post("/v1/chat/completions");
        return r.statusCode() + ": " + (r.statusCode() == 200 ? r.jsonPath().getString("choices[0].message.content")
                : r.jsonPath().getString("error.message"));
    }
}
