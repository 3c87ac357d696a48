package io.quarkiverse.rocm.deployment.scheduling;

import static io.quarkiverse.rocm.deployment.scheduling.SchedulingModels.file;
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
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Api.class, SchedulingModels.class))
            .overrideConfigKey("quarkus.rocm.alpha.model.path", file("alpha").toString())
            .overrideConfigKey("quarkus.rocm.bravo.model.path", file("bravo").toString())
            .overrideConfigKey("quarkus.rocm.charlie.model.path", file("charlie").toString())
            .overrideConfigKey("quarkus.rocm.alpha.threads", "1")
            .overrideConfigKey("quarkus.rocm.bravo.threads", "1")
            .overrideConfigKey("quarkus.rocm.charlie.threads", "1")
            .overrideConfigKey("quarkus.rocm.max-loaded", "2")
            .overrideConfigKey("quarkus.rocm.openai.enabled", "true")
            .overrideConfigKey("quarkus.langchain4j.chat-model.provider", "rocm");

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
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (servers.scheduler().busy("charlie") == 0) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(10);
        }
        assertThat(Api.chat("bravo")).isEqualTo(reply("bravo"));
        assertThat(Api.state("alpha")).isEqualTo("unloaded");
        assertThat(Api.state("charlie")).isEqualTo("loaded");
        Api.Streamed s = streaming.get(60, TimeUnit.SECONDS);
        assertThat(s.done()).as("charlie's answer was not cut").isTrue();
        assertThat(s.error()).isNull();
        assertThat(SchedulingModels.running()).containsExactly("bravo", "charlie");
    }
}
