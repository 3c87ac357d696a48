package org.acme;

// tag::test[]
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class AssistantTest {

    @Inject
    Assistant assistant;

    @Test
    void answersThroughARealLlamaServer() {
        assertThat(assistant.chat("Who are you?")).isEqualTo(TinyModel.DEFAULT_REPLY);
    }
}
// end::test[]
