package io.quarkiverse.rocm.deployment.scheduling;

import static io.quarkiverse.rocm.deployment.scheduling.SchedulingModels.reply;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * {@code keep-alive}: an idle model's llama-server is stopped once its keep-alive has passed since its last request,
 * {@code /v1/models} says when, and the next request loads it again and is answered right.
 */
public class KeepAliveTest {

    @RegisterExtension
    static final QuarkusUnitTest app = SchedulingModels.app("alpha", "bravo")
            .overrideConfigKey("quarkus.rocm.alpha.keep-alive", "3s");

    @Test
    void anIdleModelIsUnloadedAndTheNextRequestLoadsItAgain() throws Exception {
        long before = System.currentTimeMillis() / 1000;
        assertThat(Api.chat("alpha")).isEqualTo(reply("alpha"));
        // a keep-alive of 3 s: on a busy 2-core machine the test's own first JSON reading (Groovy) has taken over 1 s
        Long expiresAt = Api.describe("alpha").getObject("meta.expires_at", Long.class);
        assertThat(expiresAt).as("when it will be unloaded (absent: it was unloaded, or busy, already)").isNotNull()
                .isBetween(before + 3 - 1, System.currentTimeMillis() / 1000 + 3 + 1);
        Api.awaitState("alpha", "unloaded", Duration.ofSeconds(10));
        assertThat(SchedulingModels.running()).as("its process is gone").containsExactly("bravo");
        assertThat(Api.state("bravo")).as("no keep-alive: loaded for good").isEqualTo("loaded");
        io.restassured.RestAssured.given().get("/q/health/ready").then().statusCode(200); // unloaded: it will load

        assertThat(Api.chat("alpha")).as("loaded again, answered right").isEqualTo(reply("alpha"));
        assertThat(Api.state("alpha")).isEqualTo("loaded");
        assertThat(SchedulingModels.running()).containsExactly("alpha", "bravo");
    }
}
