package io.quarkiverse.rocm.deployment.hub;

import static io.quarkiverse.rocm.deployment.hub.HubApps.REPO;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.rocm.runtime.langchain4j.RocmChatModel;
import io.quarkiverse.rocm.testing.hub.TestHub;
import io.quarkus.test.QuarkusUnitTest;

/**
 * {@code start=background}: the application is up while the model downloads, and its startup and readiness checks
 * say how far the download is; then the model loads and is served.
 */
public class HubBackgroundTest {

    static final TestHub HUB = HubApps.hub().throttle(80_000);
    static final Path CACHE = HubApps.cache("HubBackgroundTest");

    @RegisterExtension
    static final QuarkusUnitTest app = HubApps.app(HUB, CACHE)
            .overrideConfigKey("quarkus.rocm.model.hf-repo", REPO) // Q4_K_M, as llama-server chooses it
            .overrideConfigKey("quarkus.rocm.start", "background");

    @Inject
    RocmChatModel model;

    @AfterAll
    static void close() {
        HUB.close();
    }

    @Test
    void healthSaysDownloadingThenTheModelServes() throws Exception {
        var started = given().get("/q/health/started").then().statusCode(503).extract().jsonPath();
        assertThat(started.getString("checks[0].data.'default.reason'")).matches(
                "(pulling .*|downloading [0-9]+% of [0-9.]+ kB \\(tiny-llama-Q4_K_M\\.gguf, .*/s.*\\))");
        long deadline = System.nanoTime() + 20_000_000_000L;
        String reason = "";
        while (!reason.startsWith("downloading") && System.nanoTime() < deadline) {
            reason = given().get("/q/health/ready").then().statusCode(503).extract().jsonPath()
                    .getString("checks[0].data.'default.reason'");
            Thread.sleep(100);
        }
        assertThat(reason).matches("downloading [0-9]+% of .*");
        assertThat(given().get("/q/health/ready").then().extract().jsonPath().getString("checks[0].data.'default.problem'"))
                .startsWith("not ready: starting (downloading ");

        while (given().get("/q/health/started").statusCode() != 200 && System.nanoTime() < deadline + 20_000_000_000L) {
            Thread.sleep(200);
        }
        given().get("/q/health/started").then().statusCode(200);
        assertThat(model.chat("Hi")).isEqualTo(HubApps.reply("Q4_K_M"));
    }
}
