package io.quarkiverse.rocm.deployment.scheduling;

import static io.quarkiverse.rocm.deployment.scheduling.SchedulingModels.reply;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.quarkus.test.QuarkusUnitTest;

/**
 * {@code max-loaded=2} with three models: the start loads what fits; a load makes room by unloading the least
 * recently used idle model, never the one that streams.
 */
public class MaxLoadedTest {

    @RegisterExtension
    static final QuarkusUnitTest app = SchedulingModels.app("alpha", "bravo", "charlie")
            // a long answer (20k tokens) must fit the context, or the API refuses it before it takes a slot
            .overrideConfigKey("quarkus.rocm.charlie.context-size", "32768")
            .overrideConfigKey("quarkus.rocm.max-loaded", "2");

    @Inject
    ModelServers servers;

    @Test
    void theLeastRecentlyUsedIdleModelMakesRoomAndAStreamingOneStays() throws Exception {
        assertThat(Api.state("alpha")).isEqualTo("loaded");
        assertThat(Api.state("bravo")).isEqualTo("loaded");
        assertThat(Api.state("charlie")).isEqualTo("unloaded");

        assertThat(Api.chat("alpha")).isEqualTo(reply("alpha")); // bravo is now the least recently used
        assertThat(Api.chat("charlie")).isEqualTo(reply("charlie"));
        assertThat(Api.state("bravo")).isEqualTo("unloaded");
        assertThat(SchedulingModels.running()).containsExactly("alpha", "charlie");

        // charlie streams a long answer; alpha is idle: alpha makes room for bravo, charlie is not interrupted
        CompletableFuture<Api.Streamed> streaming = Api.streamAsync("charlie", 20_000);
        SchedulingModels.awaitBusy(servers, "charlie");
        assertThat(Api.chat("bravo")).isEqualTo(reply("bravo"));
        assertThat(Api.state("alpha")).isEqualTo("unloaded");
        assertThat(Api.state("charlie")).isEqualTo("loaded");
        Api.Streamed s = streaming.get(60, TimeUnit.SECONDS);
        assertThat(s.done()).as("charlie's answer was not cut").isTrue();
        assertThat(s.error()).isNull();
        assertThat(SchedulingModels.running()).containsExactly("bravo", "charlie");
    }
}
