package io.quarkiverse.rocm.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.quarkiverse.rocm.testing.gguf.GgufFiles;
import io.quarkiverse.rocm.testing.gguf.GgufWriter;

/**
 * A tiny reranker that {@code llama-server --reranking} serves (architecture {@code qwen3}, one layer, 16 dimensions,
 * hand-set weights), whose scores are exact and visible: a document scores high when its last word is one of the
 * {@link #WORDS} and the query has that word too, low otherwise.
 * <p>
 * How: llama-server ranks {@code BOS query document} and pools the last token (qwen3's rank pooling, then a softmax
 * over the two outputs of {@code cls.output}). The last token's attention looks at BOS (a sink) and at every earlier
 * copy of itself (each word has a dimension of its own in the queries and keys); its value carries a flag that is 0 on
 * BOS and 1 on a word, so the attention output grows with the number of copies of the last word in the prompt, and
 * the first output of {@code cls.output} grows with it. RoPE is switched off by a huge base (dimensions 0 and 8, the
 * pair NEOX RoPE rotates fastest, are not used).
 */
public final class TinyReranker {

    /** The words the reranker knows, each a single token ({@code ▁alpha}...). */
    public static final List<String> WORDS = List.of("alpha", "bravo", "charlie", "delta", "echo", "foxtrot");
    private static final String SPACE = "\u2581";
    private static final int N_EMBD = 16;
    private static final int[] SLOT = { 2, 3, 4, 5, 6, 7 };
    private static final int ALIGN = 32;

    private TinyReranker() {
    }

    /** The GGUF's bytes. */
    public static byte[] toByteArray() {
        return writer().toByteArray();
    }

    /** Writes the reranker to {@code path} unless a file with the same bytes is there already. */
    public static Path ensure(Path path) throws IOException {
        return GgufFiles.ensure(path, toByteArray());
    }

    private static GgufWriter writer() {
        List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        List<Integer> types = new ArrayList<>(List.of(2, 3, 3)); // unknown, control, control
        for (int b = 0; b < 256; b++) {
            tokens.add(String.format("<0x%02X>", b));
            types.add(6); // byte
        }
        tokens.add(SPACE);
        types.add(1);
        for (int c = 33; c < 127; c++) {
            tokens.add(String.valueOf((char) c));
            types.add(1);
        }
        // SentencePiece merges pairs of pieces that are in the vocabulary: every prefix of a word is, so each word
        // becomes one token ("▁a" + "l" -> "▁al" ... -> "▁alpha"); the prefixes are never a text's last token here
        for (String w : WORDS) {
            for (int n = 1; n < w.length(); n++) {
                tokens.add(SPACE + w.substring(0, n));
                types.add(1);
            }
        }
        int firstWord = tokens.size();
        for (String w : WORDS) {
            tokens.add(SPACE + w);
            types.add(1);
        }
        int vocab = tokens.size();
        float[] scores = new float[vocab];
        int[] typeArray = new int[vocab];
        for (int i = 0; i < vocab; i++) {
            typeArray[i] = types.get(i);
            scores[i] = typeArray[i] == 1 ? -(float) i : 0;
        }

        float[] embd = new float[N_EMBD * vocab];
        for (int t = 0; t < vocab; t++) {
            int dim = t == 1 ? 0 : t >= firstWord ? SLOT[t - firstWord] : 1;
            embd[t * N_EMBD + dim] = 1;
        }
        float[] ones = filled(N_EMBD, 1);
        float[] threes = filled(N_EMBD, 3);
        float[] q = new float[N_EMBD * N_EMBD], k = new float[N_EMBD * N_EMBD], v = new float[N_EMBD * N_EMBD];
        float[] o = new float[N_EMBD * N_EMBD];
        set(q, 1, 0, 1);
        set(q, 1, 1, 1);
        set(k, 1, 0, 1); // BOS is the sink every token finds
        set(v, 0, 1, 1);
        for (int s : SLOT) {
            set(q, 1, s, 1);
            set(q, s, s, 1);
            set(k, s, s, 1);
            set(v, 0, s, 1);
        }
        set(o, 15, 0, 0.25f);
        float[] cls = new float[N_EMBD * 2];
        cls[15] = 10; // row 0 ("yes"): the attention's flag
        for (int d = 0; d < 15; d++) {
            cls[N_EMBD + d] = 5.83f; // row 1 ("no"): everything else
        }
        float[] zeros = new float[N_EMBD * N_EMBD];

        GgufWriter w = new GgufWriter(ALIGN)
                .putString("general.architecture", "qwen3")
                .putString("general.name", "tiny-reranker")
                .putString("general.description", "hand-set reranker: a document whose last word the query has scores"
                        + " high; words: " + String.join(", ", WORDS))
                .putUInt32("general.file_type", 0)
                .putUInt32("general.alignment", ALIGN)
                .putUInt32("qwen3.context_length", 256)
                .putUInt32("qwen3.embedding_length", N_EMBD)
                .putUInt32("qwen3.block_count", 1)
                .putUInt32("qwen3.feed_forward_length", N_EMBD)
                .putUInt32("qwen3.attention.head_count", 1)
                .putUInt32("qwen3.attention.head_count_kv", 1)
                .putFloat32("qwen3.rope.freq_base", 1e30f)
                .putFloat32("qwen3.attention.layer_norm_rms_epsilon", 1e-6f)
                .putUInt32("qwen3.pooling_type", 4) // rank
                .putStringArray("qwen3.classifier.output_labels", List.of("yes", "no"))
                .putString("tokenizer.ggml.model", "llama")
                .putStringArray("tokenizer.ggml.tokens", tokens)
                .putFloat32Array("tokenizer.ggml.scores", scores)
                .putInt32Array("tokenizer.ggml.token_type", typeArray)
                .putUInt32("tokenizer.ggml.bos_token_id", 1)
                .putUInt32("tokenizer.ggml.eos_token_id", 2)
                .putUInt32("tokenizer.ggml.unknown_token_id", 0)
                .putBool("tokenizer.ggml.add_bos_token", true)
                .putBool("tokenizer.ggml.add_eos_token", false)
                .putBool("tokenizer.ggml.add_sep_token", false)
                .putBool("tokenizer.ggml.add_space_prefix", true);
        w.addTensor("token_embd.weight", new long[] { N_EMBD, vocab }, embd);
        w.addTensor("blk.0.attn_norm.weight", new long[] { N_EMBD }, ones);
        w.addTensor("blk.0.attn_q.weight", new long[] { N_EMBD, N_EMBD }, q);
        w.addTensor("blk.0.attn_k.weight", new long[] { N_EMBD, N_EMBD }, k);
        w.addTensor("blk.0.attn_v.weight", new long[] { N_EMBD, N_EMBD }, v);
        w.addTensor("blk.0.attn_output.weight", new long[] { N_EMBD, N_EMBD }, o);
        w.addTensor("blk.0.attn_q_norm.weight", new long[] { N_EMBD }, threes);
        w.addTensor("blk.0.attn_k_norm.weight", new long[] { N_EMBD }, threes);
        w.addTensor("blk.0.ffn_norm.weight", new long[] { N_EMBD }, ones);
        w.addTensor("blk.0.ffn_gate.weight", new long[] { N_EMBD, N_EMBD }, zeros);
        w.addTensor("blk.0.ffn_up.weight", new long[] { N_EMBD, N_EMBD }, zeros);
        w.addTensor("blk.0.ffn_down.weight", new long[] { N_EMBD, N_EMBD }, zeros);
        w.addTensor("output_norm.weight", new long[] { N_EMBD }, ones);
        w.addTensor("cls.output.weight", new long[] { N_EMBD, 2 }, cls);
        return w;
    }

    /** Sets row {@code row}, column {@code col} of a [16][16] matrix stored [out][in]. */
    private static void set(float[] m, int row, int col, float x) {
        m[row * N_EMBD + col] = x;
    }

    private static float[] filled(int n, float x) {
        float[] f = new float[n];
        java.util.Arrays.fill(f, x);
        return f;
    }

    /** {@code java -cp quarkus-rocm-testing.jar io.quarkiverse.rocm.testing.TinyReranker OUT.gguf} */
    public static void main(String[] args) throws IOException {
        System.out.println("wrote " + ensure(Path.of(args.length > 0 ? args[0] : "tiny-reranker.gguf")));
    }
}
