package io.quarkiverse.rocm.docs;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;

import org.acme.Assistant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkus.test.QuarkusUnitTest;

/**
 * The testing guide: an application configured for a real model by name, whose test profile unsets it as the page
 * says, gets the tiny model in its tests, and the page's test ({@code AssistantTest}) holds.
 */
public class TestingGuideTest {

    @RegisterExtension
    static final QuarkusUnitTest app = GuideApps.configured(new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Assistant.class, Guide.class, GuideApps.class, ExampleFiles.class)),
            "testing.adoc", "test-profile", "");

    @Inject
    Assistant assistant;

    @Test
    @ActivateRequestContext
    void theTestProfileGetsTheTinyModelAndThePagesTestHolds() {
        assertThat(assistant.chat("Who are you?")).isEqualTo(TinyModel.DEFAULT_REPLY);
    }
}
