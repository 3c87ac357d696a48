package org.acme;

import java.io.IOException;
import java.nio.file.Path;

import io.quarkiverse.rocm.testing.TinyModel;

public final class TinyModels {

    private TinyModels() {
    }

    // tag::write[]
    /** A tiny model of its own reply, so that a test can tell two models apart. */
    public static Path coder(Path dir) throws IOException {
        return TinyModel.builder().reply("I am the coder.").build().ensure(dir.resolve("coder.gguf"));
    }
    // end::write[]
}
