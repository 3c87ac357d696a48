package io.quarkiverse.rocm.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.rocm.testing.gguf.GgufWriter;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.test.QuarkusUnitTest;

/**
 * A vocabulary-only GGUF (a valid header, a tokenizer, no tensors: what llama.cpp ships as ggml-vocab-*.gguf) is a
 * start error naming the property and the path, not a llama-server that fails to load it.
 */
public class VocabularyOnlyModelTest {

    static final Path FILE = write();

    static Path write() {
        Path p = Path.of("target", "test-models", "ggml-vocab-tiny.gguf").toAbsolutePath();
        try {
            Files.createDirectories(p.getParent());
            try (OutputStream out = Files.newOutputStream(p)) {
                new GgufWriter(32).putString("general.architecture", "llama").putString("general.name", "vocab only")
                        .putString("tokenizer.ggml.model", "llama")
                        .putStringArray("tokenizer.ggml.tokens", List.of("<unk>", "<s>", "</s>", "a", "b")).writeTo(out);
            }
            return p;
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
                        .hasMessageContaining(FILE + " has no tensors: it is a vocabulary-only GGUF")
                        .hasMessageContaining("Point it at the model's weights file");
                assertThat(LlamaServers.running()).as("nothing left running").isEmpty();
            });

    @Test
    void fails() {
        throw new AssertionError("the application must not start");
    }
}
