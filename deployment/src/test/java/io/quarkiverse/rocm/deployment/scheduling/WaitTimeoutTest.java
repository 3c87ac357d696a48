package io.quarkiverse.rocm.deployment.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.quarkus.test.QuarkusUnitTest;

/**
 * A request that waits for room longer than its timeout gets a 503 that names the models holding the room; the model
 * that streams is not cut, and nothing waits any more.
 */
public class WaitTimeoutTest {

    @RegisterExtension
    static final QuarkusUnitTest app = SchedulingModels.app("alpha", "bravo")
            .overrideConfigKey("quarkus.rocm.max-loaded", "1")
            .overrideConfigKey("quarkus.rocm.openai.timeout", "1s")
            // llama-server stops a stream at the end of its context: 16k tokens outlast the 1 s wait on a busy machine
            .overrideConfigKey("quarkus.rocm.alpha.context-size", "16384");

    @Inject
    ModelServers servers;

    @Test
    void aRequestThatWaitsTooLongIsToldWhoHoldsTheRoom() throws Exception {
        assertThat(Api.state("bravo")).isEqualTo("unloaded"); // also readies the test's own HTTP and JSON reading
        CompletableFuture<Api.Streamed> streaming = Api.streamAsync("alpha", 16_000);
        SchedulingModels.awaitBusy(servers, "alpha");
        long start = System.nanoTime();
        String answer = Api.chat("bravo");
        assertThat((System.nanoTime() - start) / 1_000_000).as("refused after the timeout, not later")
                .isBetween(900L, 10_000L);
        assertThat(answer).startsWith("503: ").contains("model 'bravo' waits for room (quarkus.rocm.max-loaded=1)")
                .contains("'alpha' (serving 1)").contains("for longer than 1000 ms");
        assertThat(servers.scheduler().waiting()).as("it left the line").isZero();
        Api.Streamed s = streaming.get(60, TimeUnit.SECONDS);
        assertThat(s.error()).as("the streaming model was not cut").isNull();
        assertThat(s.done()).isTrue();
    }
}
