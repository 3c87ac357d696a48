package io.quarkiverse.rocm.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.quarkiverse.rocm.testing.gguf.GgufFiles;
import io.quarkiverse.rocm.testing.gguf.GgufWriter;

/**
 * A LoRA adapter of a scripted {@link TinyModel} ({@code general.type=adapter}, rank 1, F32) whose effect is exact and
 * visible: with it, the model's reply starts at its {@code skip}-th token instead of its first
 * ({@code " I am a tiny test model ..."} instead of {@code "Hello! I am a tiny test model ..."} for the default reply
 * and {@code skip=1}).
 * <p>
 * Two deltas, each {@code B·A} of rank 1 (llama.cpp's {@code lora_a} has {@code ne=[n_in, 1]}, {@code lora_b}
 * {@code ne=[1, n_out]}, {@code adapter.lora.alpha} = rank, so the delta is applied at the request's scale):
 * <ul>
 * <li>{@code output.weight}: after the end of the prompt ({@code "\n"} of {@code <|im_start|>assistant\n}) the first
 * reply token loses 200 and the {@code skip}-th gains 200;</li>
 * <li>{@code blk.0.attn_v.weight}: every token's value carries the "tools are offered" feature, so the adapter leaves
 * a mark in the KV cache. The adapter's own reply does not change, but a request without the adapter that reused
 * this KV cache would call a tool instead of answering: a prompt cache handed across adapters shows.</li>
 * </ul>
 */
public final class TinyAdapter {

    private final TinyModel base;
    private final int skip;

    private TinyAdapter(TinyModel base, int skip) {
        List<String> tokens = base.replyTokens();
        if (skip < 1 || skip >= tokens.size()) {
            throw new IllegalArgumentException("skip must be 1.." + (tokens.size() - 1) + " (the reply has "
                    + tokens.size() + " tokens): " + skip);
        }
        this.base = base;
        this.skip = skip;
    }

    /** The adapter of {@code base} whose reply starts at the reply's {@code skip}-th token (0-based). */
    public static TinyAdapter of(TinyModel base, int skip) {
        return new TinyAdapter(base, skip);
    }

    /** The reply with the adapter applied. */
    public String reply() {
        List<String> tokens = base.replyTokens();
        return String.join("", tokens.subList(skip, tokens.size()));
    }

    /** The GGUF's bytes. */
    public byte[] toByteArray() {
        return writer().toByteArray();
    }

    /** Writes the adapter to {@code path} unless a file with the same bytes is there already. */
    public Path ensure(Path path) throws IOException {
        return GgufFiles.ensure(path, toByteArray());
    }

    private GgufWriter writer() {
        TinyModel.Vocabulary vocab = base.vocabulary();
        int nVocab = vocab.tokens().size();
        List<Integer> chain = vocab.chainIds();
        int newline = chain.size() + 1; // the slot of "\n": the chain's slots, then the structural tokens
        int bias = TinyModel.N_EMBD - 1;
        double gain = 1.0 / Math.sqrt(3.0 / TinyModel.N_EMBD + TinyModel.RMS_EPS);

        float[] outA = new float[TinyModel.N_EMBD];
        outA[newline] = 1f;
        float[] outB = new float[nVocab];
        outB[chain.get(0)] = (float) (-200.0 / gain);
        outB[chain.get(skip)] = (float) (200.0 / gain);

        float[] vA = new float[TinyModel.N_EMBD];
        vA[bias] = 1f;
        float[] vB = new float[TinyModel.HEAD_DIM * TinyModel.N_HEAD_KV];
        vB[0] = 1f; // KV head 0, dimension 0: what the "<tools>" head reads into the TOOLS feature

        return new GgufWriter(32)
                .putString("general.architecture", "llama")
                .putString("general.type", "adapter")
                .putString("general.name", "tiny-llama-skip-" + skip)
                .putString("adapter.type", "lora")
                .putFloat32("adapter.lora.alpha", 1f)
                .addTensor("blk.0.attn_v.weight.lora_a", new long[] { TinyModel.N_EMBD, 1 }, vA)
                .addTensor("blk.0.attn_v.weight.lora_b", new long[] { 1, vB.length }, vB)
                .addTensor("output.weight.lora_a", new long[] { TinyModel.N_EMBD, 1 }, outA)
                .addTensor("output.weight.lora_b", new long[] { 1, nVocab }, outB);
    }
}
