package io.quarkiverse.rocm.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * {@code quarkus.devservices.enabled=false}, as Quarkus users expect: no llama-server is installed and no tiny model
 * is served, so a test-mode start without either fails as production would, naming what to set.
 */
public class DevServicesDisabledTest {

    static final Path INSTALL_DIR = Path.of("target", "devservices-disabled-test", "llama.cpp").toAbsolutePath();

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withEmptyApplication()
            .overrideConfigKey("quarkus.devservices.enabled", "false")
            .overrideConfigKey("quarkus.rocm.install-dir", INSTALL_DIR.toString())
            .assertException(e -> {
                assertThat(Files.exists(INSTALL_DIR)).as("nothing installed into %s", INSTALL_DIR).isFalse();
                // the model is what is missing first: a binary is only looked for once a model needs one (an
                // application of remote models needs none)
                assertThat(RootCause.messages(e)).contains("No model configured: set quarkus.rocm.model.path");
                assertThat(LlamaServers.running()).as("nothing left running").isEmpty();
            });

    @Test
    void fails() {
        throw new AssertionError("the application must not start");
    }
}
