package io.quarkiverse.rocm.runtime.gguf;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The metadata of a GGUF model file: what llama-server will load, read before anything is spawned.
 *
 * @param path the file
 * @param version GGUF version (2 or 3)
 * @param tensorCount number of tensors
 * @param values every metadata value: Long/Integer/Float/Double/Boolean/String, a List for short arrays, a
 *        {@link SkippedArray} for long ones
 * @param arrayLengths the length of every array value
 * @param fileSize size of the file in bytes (about the size of the weights)
 */
public record GgufMetadata(Path path, int version, long tensorCount, Map<String, Object> values,
        Map<String, Long> arrayLengths, long fileSize) {

    /** A long array whose values were not kept. */
    public record SkippedArray(GgufType elementType, long length) {
    }

    private static final String[] FILE_TYPES = new String[40];

    static {
        String[][] names = { { "0", "F32" }, { "1", "F16" }, { "2", "Q4_0" }, { "3", "Q4_1" }, { "7", "Q8_0" },
                { "8", "Q5_0" }, { "9", "Q5_1" }, { "10", "Q2_K" }, { "11", "Q3_K_S" }, { "12", "Q3_K_M" },
                { "13", "Q3_K_L" }, { "14", "Q4_K_S" }, { "15", "Q4_K_M" }, { "16", "Q5_K_S" }, { "17", "Q5_K_M" },
                { "18", "Q6_K" }, { "19", "IQ2_XXS" }, { "20", "IQ2_XS" }, { "21", "Q2_K_S" }, { "22", "IQ3_XS" },
                { "23", "IQ3_XXS" }, { "24", "IQ1_S" }, { "25", "IQ4_NL" }, { "26", "IQ3_S" }, { "27", "IQ3_M" },
                { "28", "IQ2_S" }, { "29", "IQ2_M" }, { "30", "IQ4_XS" }, { "31", "IQ1_M" }, { "32", "BF16" },
                { "36", "TQ1_0" }, { "37", "TQ2_0" }, { "38", "MXFP4_MOE" } };
        for (String[] n : names) {
            FILE_TYPES[Integer.parseInt(n[0])] = n[1];
        }
    }

    public Optional<String> string(String key) {
        return values.get(key) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /** An integer value of any integer type (uint64 included: some producers write lengths that way). */
    public OptionalLong integer(String key) {
        Object v = values.get(key);
        if (v instanceof Long l) {
            return OptionalLong.of(l);
        }
        if (v instanceof Integer i) {
            return OptionalLong.of(i);
        }
        if (v instanceof List<?> list && !list.isEmpty()) {
            // per-layer values (head_count_kv of hybrid models): the largest one sizes the cache
            long max = Long.MIN_VALUE;
            for (Object o : list) {
                if (o instanceof Number n) {
                    max = Math.max(max, n.longValue());
                }
            }
            return max == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(max);
        }
        return OptionalLong.empty();
    }

    private OptionalLong archInteger(String suffix) {
        return architecture().map(a -> integer(a + "." + suffix)).orElse(OptionalLong.empty());
    }

    /** {@code general.architecture}, for example {@code llama}, {@code qwen2}, {@code gemma3}. */
    public Optional<String> architecture() {
        return string("general.architecture");
    }

    /** {@code general.name}. */
    public Optional<String> name() {
        return string("general.name");
    }

    /** {@code general.size_label}, for example {@code 7B}. */
    public Optional<String> sizeLabel() {
        return string("general.size_label");
    }

    /** {@code general.file_type} as llama.cpp names it ({@code Q4_K_M}, {@code F16}, ...). */
    public Optional<String> fileType() {
        OptionalLong t = integer("general.file_type");
        if (t.isEmpty()) {
            return Optional.empty();
        }
        long v = t.getAsLong();
        return Optional.of(v >= 0 && v < FILE_TYPES.length && FILE_TYPES[(int) v] != null ? FILE_TYPES[(int) v]
                : "type " + v);
    }

    /** The context length the model was trained for. */
    public OptionalLong contextLength() {
        return archInteger("context_length");
    }

    public OptionalLong blockCount() {
        return archInteger("block_count");
    }

    public OptionalLong embeddingLength() {
        return archInteger("embedding_length");
    }

    public OptionalLong headCount() {
        return archInteger("attention.head_count");
    }

    /** KV heads (grouped-query attention); the head count when absent. */
    public OptionalLong headCountKv() {
        OptionalLong kv = archInteger("attention.head_count_kv");
        return kv.isPresent() ? kv : headCount();
    }

    /** Size of one key vector per head: {@code attention.key_length}, else embedding length / head count. */
    public OptionalLong keyLength() {
        OptionalLong k = archInteger("attention.key_length");
        if (k.isPresent()) {
            return k;
        }
        OptionalLong e = embeddingLength(), h = headCount();
        return e.isPresent() && h.isPresent() && h.getAsLong() > 0 ? OptionalLong.of(e.getAsLong() / h.getAsLong())
                : OptionalLong.empty();
    }

    /** Size of one value vector per head: {@code attention.value_length}, else the key length. */
    public OptionalLong valueLength() {
        OptionalLong v = archInteger("attention.value_length");
        return v.isPresent() ? v : keyLength();
    }

    /** {@code tokenizer.chat_template}. */
    public Optional<String> chatTemplate() {
        return string("tokenizer.chat_template");
    }

    /** Vocabulary size: the length of {@code tokenizer.ggml.tokens}. */
    public OptionalLong vocabularySize() {
        Long n = arrayLengths.get("tokenizer.ggml.tokens");
        return n == null ? OptionalLong.empty() : OptionalLong.of(n);
    }

    /** {@code {arch}.pooling_type} is set for embedding models. */
    public boolean isEmbeddingModel() {
        return archInteger("pooling_type").isPresent();
    }

    /** Bytes of KV cache per token of context with an F16 cache, or empty when the header lacks the numbers. */
    public OptionalLong kvBytesPerToken() {
        OptionalLong layers = blockCount(), kvHeads = headCountKv(), k = keyLength(), v = valueLength();
        if (layers.isEmpty() || kvHeads.isEmpty() || k.isEmpty() || v.isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(layers.getAsLong() * kvHeads.getAsLong() * (k.getAsLong() + v.getAsLong()) * 2);
    }

    /** One line for logs: name, architecture, size, type, context. */
    public String summary() {
        StringBuilder s = new StringBuilder(name().orElse(path.getFileName().toString()));
        s.append(" (").append(architecture().orElse("unknown architecture"));
        sizeLabel().ifPresent(l -> s.append(", ").append(l));
        fileType().ifPresent(t -> s.append(", ").append(t));
        contextLength().ifPresent(c -> s.append(", trained context ").append(c));
        s.append(", ").append(fileSize / (1024 * 1024)).append(" MiB)");
        return s.toString();
    }

    @Override
    public String toString() {
        return "GgufMetadata[" + path + ": " + summary() + "]";
    }
}
