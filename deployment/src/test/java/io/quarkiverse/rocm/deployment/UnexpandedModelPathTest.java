package io.quarkiverse.rocm.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.test.QuarkusUnitTest;

/**
 * A model path whose expression expands to nothing (Maven filtering, which dev mode's reload does not apply) is named
 * as such, not reported as "no model configured".
 */
public class UnexpandedModelPathTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withEmptyApplication()
            .overrideConfigKey("quarkus.rocm.model.path", "${project.build.directory}/tiny-llama.gguf")
            .assertException(e -> {
                assertThat(RootCause.of(e, ConfigurationException.class))
                        .hasMessageContaining("quarkus.rocm.model.path=${project.build.directory}/tiny-llama.gguf"
                                + " expands to nothing")
                        .hasMessageContaining("use an absolute path");
                assertThat(LlamaServers.running()).as("nothing left running").isEmpty();
            });

    @Test
    void fails() {
        throw new AssertionError("the application must not start");
    }
}
