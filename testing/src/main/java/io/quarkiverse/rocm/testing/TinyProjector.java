package io.quarkiverse.rocm.testing;

import java.io.IOException;
import java.nio.file.Path;

import io.quarkiverse.rocm.testing.gguf.GgufFiles;
import io.quarkiverse.rocm.testing.gguf.GgufWriter;

/**
 * A multimodal projector for {@link TinyModel} ({@code general.architecture=clip}, LLaVA's {@code mlp} projector, F32,
 * 50 KB) that llama-server loads with {@code --mmproj}: every image, whatever its size, is resized to 28x28 pixels and
 * becomes {@value #IMAGE_TOKENS} tokens of the model's width (64), so a request's prompt grows by exactly that much
 * per image.
 * <p>
 * The graph llama.cpp's mtmd builds for it: a 14x14 patch convolution ({@code v.patch_embd}), learned positions
 * ({@code v.position_embd}), no transformer block, then {@code mm.0}, GELU, {@code mm.2}. Every {@code clip.vision.*}
 * integer must be a UINT32 (llama.cpp asserts the type), {@code mm.2}'s output must be the text model's width, and
 * the head count at least 1.
 */
public final class TinyProjector {

    /** The tokens one image takes: (28/14)². */
    public static final int IMAGE_TOKENS = 4;

    private static final int IMAGE_SIZE = 28;
    private static final int PATCH = 14;
    private static final int WIDTH = 16; // the vision encoder's width
    private static final int FF = 32; // unread without blocks; unequal to WIDTH (llama.cpp swaps up/down when equal)
    private static final int HIDDEN = 32; // mm.0's output

    private TinyProjector() {
    }

    /** The GGUF's bytes. */
    public static byte[] toByteArray() {
        int positions = (IMAGE_SIZE / PATCH) * (IMAGE_SIZE / PATCH);
        return new GgufWriter(32)
                .putString("general.architecture", "clip")
                .putString("general.name", "tiny-mmproj")
                .putUInt32("general.file_type", 0)
                .putBool("clip.has_vision_encoder", true)
                .putBool("clip.has_audio_encoder", false)
                .putString("clip.projector_type", "mlp")
                .putUInt32("clip.vision.image_size", IMAGE_SIZE)
                .putUInt32("clip.vision.patch_size", PATCH)
                .putUInt32("clip.vision.embedding_length", WIDTH)
                .putUInt32("clip.vision.feed_forward_length", FF)
                .putUInt32("clip.vision.projection_dim", TinyModel.N_EMBD)
                .putUInt32("clip.vision.block_count", 0)
                .putUInt32("clip.vision.attention.head_count", 1)
                .putFloat32("clip.vision.attention.layer_norm_epsilon", 1e-6f)
                .putFloat32Array("clip.vision.image_mean", new float[] { 0.5f, 0.5f, 0.5f })
                .putFloat32Array("clip.vision.image_std", new float[] { 0.5f, 0.5f, 0.5f })
                .putBool("clip.use_gelu", true)
                // ne0 first: the kernel is [width, height, channels in, channels out], linear weights [in, out]
                .addTensor("v.patch_embd.weight", new long[] { PATCH, PATCH, 3, WIDTH },
                        wave(PATCH * PATCH * 3 * WIDTH, 1e-3f, 1))
                .addTensor("v.patch_embd.bias", new long[] { WIDTH }, new float[WIDTH])
                .addTensor("v.position_embd.weight", new long[] { WIDTH, positions }, wave(WIDTH * positions, 1e-2f, 2))
                .addTensor("mm.0.weight", new long[] { WIDTH, HIDDEN }, wave(WIDTH * HIDDEN, 1e-1f, 6))
                .addTensor("mm.0.bias", new long[] { HIDDEN }, new float[HIDDEN])
                .addTensor("mm.2.weight", new long[] { HIDDEN, TinyModel.N_EMBD }, wave(HIDDEN * TinyModel.N_EMBD, 1e-1f, 7))
                .addTensor("mm.2.bias", new long[] { TinyModel.N_EMBD }, new float[TinyModel.N_EMBD])
                .toByteArray();
    }

    /** Writes the projector to {@code path} unless a file with the same bytes is there already. */
    public static Path ensure(Path path) throws IOException {
        return GgufFiles.ensure(path, toByteArray());
    }

    /** Small deterministic values in [-amp, amp] (StrictMath: the same bytes on every JVM). */
    private static float[] wave(int n, float amp, int salt) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = amp * (float) StrictMath.sin(0.7 * i + 1.3 * salt);
        }
        return v;
    }
}
