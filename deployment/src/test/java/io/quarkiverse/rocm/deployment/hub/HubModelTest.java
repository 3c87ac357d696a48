package io.quarkiverse.rocm.deployment.hub;

import static io.quarkiverse.rocm.deployment.hub.HubApps.REPO;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkiverse.rocm.runtime.langchain4j.RocmChatModel;
import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.quarkiverse.rocm.runtime.spec.LocalSpec;
import io.quarkiverse.rocm.testing.hub.TestHub;
import io.quarkus.test.QuarkusUnitTest;

/**
 * One {@code hf-repo} line: the model is pulled at the (eager) start, checked as a local file and served; the file is
 * the one llama-server's {@code -hf} would choose, in llama-server's cache layout; the pull is counted.
 */
public class HubModelTest {

    static final TestHub HUB = HubApps.hub();
    static final Path CACHE = HubApps.cache("HubModelTest");

    @RegisterExtension
    static final QuarkusUnitTest app = HubApps.app(HUB, CACHE)
            .overrideConfigKey("quarkus.rocm.model.hf-repo", REPO + ":Q8_0");

    @Inject
    RocmChatModel model;

    @Inject
    ModelServers servers;

    @Inject
    MeterRegistry registry;

    @AfterAll
    static void close() {
        HUB.close();
    }

    @Test
    void theModelNamedByItsRepositoryIsPulledAndServed() throws Exception {
        assertThat(model.chat("Hi")).isEqualTo(HubApps.reply("Q8_0"));
        Path file = CACHE.resolve("models--tiny-org--tiny-llama-GGUF/snapshots/" + HUB.commit(REPO)
                + "/tiny-llama-Q8_0.gguf");
        assertThat(((LocalSpec) servers.defaultServer().orElseThrow().spec()).model().path()).isEqualTo(file);
        assertThat(Files.isSymbolicLink(file)).isTrue();
        assertThat(registry.get("rocm.pull.pulls").tag("outcome", "downloaded").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("rocm.pull.received").functionCounter().count())
                .isEqualTo(HUB.get(REPO, "tiny-llama-Q8_0.gguf").content().length);
        given().get("/v1/models").then().statusCode(200).body(containsString("\"default\""));
        given().get("/q/health/ready").then().statusCode(200).body(containsString("tiny-llama-scripted"));
    }
}
