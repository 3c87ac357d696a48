package io.quarkiverse.rocm.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.test.QuarkusUnitTest;

/** A partly downloaded model is a start error naming the property and the path, and saying to download it again. */
public class TruncatedModelTest {

    static final Path FILE = write();

    static Path write() {
        try {
            byte[] whole = TinyModel.defaults().toByteArray();
            Path p = Path.of("target", "test-models", "partial-download.gguf").toAbsolutePath();
            Files.createDirectories(p.getParent());
            return Files.write(p, Arrays.copyOf(whole, whole.length * 2 / 3));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withEmptyApplication()
            .overrideConfigKey("quarkus.rocm.model.path", FILE.toString())
            .assertException(e -> {
                assertThat(RootCause.of(e, ConfigurationException.class)).hasMessageContaining("quarkus.rocm.model.path")
                        .hasMessageContaining(FILE.toString()).hasMessageContaining("truncated")
                        .hasMessageContaining("partial download: download it again");
                assertThat(LlamaServers.running()).as("nothing left running").isEmpty();
            });

    @Test
    void fails() {
        throw new AssertionError("the application must not start");
    }
}
