package io.quarkiverse.rocm.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
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
        try {
            return model.ensure(Path.of("target", "test-models", fileName).toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
