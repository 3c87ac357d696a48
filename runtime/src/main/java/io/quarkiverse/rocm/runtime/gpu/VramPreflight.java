package io.quarkiverse.rocm.runtime.gpu;

import java.util.Optional;

import io.quarkiverse.rocm.runtime.gguf.GgufMetadata;

/**
 * Estimates, from the GGUF header alone, the memory a model needs on the GPU: the weights (about the file's size)
 * plus the KV cache for the context and slots (F16), plus a headroom for compute buffers. The same arithmetic as
 * ollama's server VRAM prediction; llama-server's own {@code --fit} then fine-tunes the split.
 */
public final class VramPreflight {

    private VramPreflight() {
    }

    /** The estimate, in bytes. */
    public record Estimate(long weights, long kvCache, long headroom, long contextTokens) {
        public long total() {
            return weights + kvCache + headroom;
        }

        /** This estimate with {@code bytes} more weights (an adapter, a projector, a draft model). */
        public Estimate plusWeights(long bytes) {
            return new Estimate(weights + bytes, kvCache, headroom, contextTokens);
        }
    }

    /** @param contextTokens all the tokens the KV cache holds (context size times slots unless unified) */
    public static Estimate estimate(GgufMetadata model, long contextTokens, long headroom) {
        long kv = model.kvBytesPerToken().orElse(0) * contextTokens;
        return new Estimate(model.fileSize(), kv, headroom, contextTokens);
    }

    /** A message when {@code estimate} does not fit {@code selection}'s free VRAM, else empty. */
    public static Optional<String> check(String modelName, Estimate estimate, GpuSelection selection) {
        if (selection.visible().isEmpty()) {
            return Optional.empty();
        }
        long free = selection.freeVram();
        if (estimate.total() <= free) {
            return Optional.empty();
        }
        return Optional.of(String.format(
                "Model '%s' needs about %s of VRAM (weights %s + KV cache %s for %d tokens + headroom %s) but %s %s"
                        + " %s free of %s: llama-server will keep part of it on the CPU, which is much slower."
                        + " Lower the context size or the parallel slots, pick a smaller quantisation, or set"
                        + " quarkus.rocm.gpu.preflight=off to silence this check.",
                modelName, gib(estimate.total()), gib(estimate.weights()), gib(estimate.kvCache()),
                estimate.contextTokens(), gib(estimate.headroom()), selection.visible(),
                selection.visible().size() == 1 ? "has" : "have", gib(free), gib(selection.totalVram())));
    }

    static String gib(long bytes) {
        return bytes >= 1L << 30 ? String.format("%.1f GiB", bytes / (double) (1L << 30))
                : String.format("%d MiB", bytes >> 20);
    }
}
