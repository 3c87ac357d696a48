package io.quarkiverse.rocm.testing;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The demo application's models of the other kinds, written into a folder:
 * {@code vision/tiny-vision.gguf} with its projector beside it ({@code vision/mmproj-tiny-vision.gguf}), and
 * {@code tiny-skip-lora.gguf}, a LoRA adapter of the default tiny model whose reply skips its first word.
 * <p>
 * {@code java -cp quarkus-rocm-testing.jar io.quarkiverse.rocm.testing.DemoModels FOLDER}
 */
public final class DemoModels {

    private DemoModels() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: DemoModels FOLDER");
        }
        Path dir = Path.of(args[0]);
        TinyModel.defaults().ensure(dir.resolve("vision/tiny-vision.gguf"));
        TinyProjector.ensure(dir.resolve("vision/mmproj-tiny-vision.gguf"));
        TinyAdapter.of(TinyModel.defaults(), 1).ensure(dir.resolve("tiny-skip-lora.gguf"));
        System.out.println("wrote the vision model, its projector and the adapter in " + dir);
    }
}
