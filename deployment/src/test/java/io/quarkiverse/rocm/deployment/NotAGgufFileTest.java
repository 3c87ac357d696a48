package io.quarkiverse.rocm.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.test.QuarkusUnitTest;

/** A file that is not GGUF is refused with the property, the path and what the file starts with. */
public class NotAGgufFileTest {

    static final Path FILE = write();

    static Path write() {
        try {
            Path p = Path.of("target", "test-models", "not-a-model.gguf").toAbsolutePath();
            Files.createDirectories(p.getParent());
            return Files.writeString(p, "<html>Sorry, this download link has expired</html>");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withEmptyApplication()
            .overrideConfigKey("quarkus.rocm.model.path", FILE.toString())
            .assertException(e -> {
                Throwable root = RootCause.of(e, ConfigurationException.class);
                assertThat(root).hasMessageContaining("quarkus.rocm.model.path").hasMessageContaining(FILE.toString())
                        .hasMessageContaining("not a GGUF file").hasMessageContaining("Point it at a GGUF model file");
                assertThat(LlamaServers.running()).as("nothing left running").isEmpty();
            });

    @Test
    void fails() {
        throw new AssertionError("the application must not start");
    }
}
