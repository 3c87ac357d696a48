package io.quarkiverse.rocm.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.test.QuarkusUnitTest;

/** With dev services off, a test-mode application without a model fails to start, naming the property. */
public class DevServicesDisabledModelTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withEmptyApplication()
            .overrideConfigKey("quarkus.rocm.devservices.enabled", "false")
            .assertException(e -> {
                assertThat(RootCause.of(e, ConfigurationException.class))
                        .hasMessageContaining("No model configured: set quarkus.rocm.model.path to a GGUF file");
                assertThat(LlamaServers.running()).as("nothing left running").isEmpty();
            });

    @Test
    void fails() {
        throw new AssertionError("the application must not start");
    }
}
