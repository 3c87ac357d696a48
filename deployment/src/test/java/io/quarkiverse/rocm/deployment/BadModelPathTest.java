package io.quarkiverse.rocm.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.test.QuarkusUnitTest;

/** A missing model file stops the start before anything is spawned, naming the property and the path. */
public class BadModelPathTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withEmptyApplication()
            .overrideConfigKey("quarkus.rocm.model.path", "/nonexistent/models/llama.gguf")
            .assertException(e -> {
                Throwable root = RootCause.of(e, ConfigurationException.class);
                assertThat(root).hasMessageContaining("quarkus.rocm.model.path")
                        .hasMessageContaining("/nonexistent/models/llama.gguf: no such file");
                assertThat(LlamaServers.running()).as("nothing left running").isEmpty();
            });

    @Test
    void fails() {
        throw new AssertionError("the application must not start");
    }
}
