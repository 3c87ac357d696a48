package io.quarkiverse.rocm.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.rocm.runtime.client.LlamaServerClients;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An AI service's Multi, cancelled by its subscriber after a few tokens: quarkus-langchain4j cancels the streaming
 * handle, the connection closes and llama-server stops generating at once (it would talk for 100000 tokens).
 */
@QuarkusTest
class MultiCancellationTest {

    @Inject
    Talker talker;

    @Inject
    LlamaServerClients clients;

    @Test
    void cancellingTheMultiStopsTheGeneration() throws Exception {
        List<String> first = talker.talk("Talk to me").select().first(3).collect().asList()
                .await().atMost(Duration.ofSeconds(30));
        assertThat(first).hasSize(3);
        Slots.awaitIdle(clients.client("talker"), Duration.ofSeconds(10));
        assertThat(clients.client("talker").gate().inFlight()).isZero();
    }
}
