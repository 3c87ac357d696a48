package io.quarkiverse.rocm.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.quarkiverse.rocm.testing.TinyModel;

/** Tiny models generated into target/ at test time. */
final class TestModels {

    private TestModels() {
    }

    static Path tiny() {
        return write("tiny.gguf", TinyModel.defaults());
    }

    static synchronized Path write(String fileName, TinyModel model) {
        Path file = Path.of("target", "test-models", fileName).toAbsolutePath();
        try {
            if (!Files.exists(file)) {
                model.writeTo(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
