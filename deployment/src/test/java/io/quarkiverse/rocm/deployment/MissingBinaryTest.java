package io.quarkiverse.rocm.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.rocm.runtime.process.LlamaServerException;
import io.quarkus.test.QuarkusUnitTest;

/** A configured binary that does not exist is an error naming the property, not a silent fallback. */
public class MissingBinaryTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(TestModels.class))
            .overrideConfigKey("quarkus.rocm.model.path", TestModels.tiny().toString())
            .overrideConfigKey("quarkus.rocm.binary", "/opt/llama.cpp/bin/llama-server")
            .assertException(e -> {
                Throwable root = RootCause.of(e, LlamaServerException.class);
                assertThat(root).hasMessageContaining("quarkus.rocm.binary=/opt/llama.cpp/bin/llama-server does not exist")
                        .hasMessageContaining("Point it at a llama-server binary");
                assertThat(LlamaServers.running()).as("nothing left running").isEmpty();
            });

    @Test
    void fails() {
        throw new AssertionError("the application must not start");
    }
}
