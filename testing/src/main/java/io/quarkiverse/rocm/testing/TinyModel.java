package io.quarkiverse.rocm.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import io.quarkiverse.rocm.testing.gguf.GgufWriter;

/**
 * A tiny llama-architecture GGUF model (about 0.5 MB, all F32) whose weights are set by hand so that a real
 * llama-server answers predictably, with no GPU and no download:
 * <ul>
 * <li>any chat turn answers with the {@linkplain Builder#reply(String) reply} text ({@value #DEFAULT_REPLY} by
 * default: 15 tokens), then ends the turn;</li>
 * <li>with tools offered, it calls a tool (arguments valid JSON); once a tool result is in the conversation it
 * answers with the reply text, so an agent loop ends;</li>
 * <li>under a grammar ({@code response_format} JSON schema or JSON object) it writes short valid JSON: free strings
 * are the reply text, integers {@code 1}, booleans {@code true}, arrays one element, optional properties left
 * out.</li>
 * </ul>
 * The output is byte-for-byte deterministic: for the default options its SHA-256 is {@value #DEFAULT_SHA256}.
 * <p>
 * How the weights work: a token's embedding is a one-hot "slot" feature (one per reply-chain token and per
 * structural token), a constant BIAS feature and a seeded random identity vector (read by nothing but
 * {@code /v1/embeddings}). One attention head of layer 0 copies "the prompt lists tools" into a feature, another
 * "the prompt holds a tool response". All other layer weights are tiny noise, so
 * {@code logits = output . rms_norm(embedding(last token) + TOOLS + RESP)}, and {@code output.weight} maps each slot
 * to its successor with a margin large enough to survive sampling at temperature 1.
 * <p>
 * Usable from the command line: {@code java -jar quarkus-rocm-testing.jar -o tiny.gguf [--reply TEXT]}.
 */
public final class TinyModel {

    /** The default reply of the scripted model. */
    public static final String DEFAULT_REPLY = "Hello! I am a tiny test model with hand-made weights, so this is my only answer.";
    /** SHA-256 of the model written with the default options. */
    public static final String DEFAULT_SHA256 = "29b26740626386969b87dbdb1027b3364b58fcdf9dcb3bb91478161e79972c69";

    /** How the weights are made. */
    public enum Mode {
        /** Hand-set weights: predictable answers (the default). */
        SCRIPTED,
        /** Uniform random weights from the seed: gibberish, for plumbing tests only. */
        RANDOM
    }

    static final int N_EMBD = 64;
    static final int N_LAYER = 2;
    static final int N_HEAD = 4;
    static final int N_HEAD_KV = 2;
    static final int N_FF = 128;
    static final int HEAD_DIM = N_EMBD / N_HEAD;
    static final double RMS_EPS = 1e-5;
    static final double ROPE_BASE = 1e6;
    static final int ALIGN = 32;

    static final int TOK_NORMAL = 1, TOK_UNKNOWN = 2, TOK_CONTROL = 3, TOK_USER_DEFINED = 4, TOK_BYTE = 6;
    static final String SPACE = "\u2581";
    // "<tool_call>\n{" is one token on purpose: llama-server refuses a lazy-grammar trigger word that is exactly
    // one token unless the template analyser marks it "preserved", which it does not here.
    static final String TOOL_CALL = "<tool_call>\n{", TOOL_CALL_END = "</tool_call>", TOOLS_MARK = "<tools>",
            RESP_MARK = "<tool_response>";

    /**
     * ChatML with Hermes/Qwen-style tool calls. llama.cpp's template analyser learns the tool-call syntax from it: a
     * template that renders no tools would disable tools.
     */
    public static final String CHAT_TEMPLATE = "{%- if tools -%}"
            + "{{- '<|im_start|>system\\n' -}}"
            + "{%- if messages and messages[0]['role'] == 'system' -%}{{- messages[0]['content'] + '\\n\\n' -}}{%- endif -%}"
            + "{{- 'You can call these tools. To call one, answer with <tool_call>\\n"
            + "{\"name\": <tool-name>, \"arguments\": <arguments-json-object>}\\n</tool_call>\\n<tools>' -}}"
            + "{%- for tool in tools -%}{{- '\\n' + (tool | tojson) -}}{%- endfor -%}"
            + "{{- '\\n</tools><|im_end|>\\n' -}}"
            + "{%- elif messages and messages[0]['role'] == 'system' -%}"
            + "{{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' -}}"
            + "{%- endif -%}"
            + "{%- for message in messages -%}"
            + "{%- if message['role'] == 'system' and loop.first -%}"
            + "{%- elif message['role'] == 'assistant' and message['tool_calls'] -%}"
            + "{{- '<|im_start|>assistant' -}}"
            + "{%- if message['content'] -%}{{- '\\n' + message['content'] -}}{%- endif -%}"
            + "{%- for tc in message['tool_calls'] -%}"
            + "{%- set f = tc['function'] if tc['function'] is defined else tc -%}"
            + "{{- '\\n<tool_call>\\n{\"name\": \"' + f['name'] + '\", \"arguments\": ' -}}"
            + "{%- if f['arguments'] is string -%}{{- f['arguments'] -}}{%- else -%}{{- f['arguments'] | tojson -}}{%- endif -%}"
            + "{{- '}\\n</tool_call>' -}}"
            + "{%- endfor -%}"
            + "{{- '<|im_end|>\\n' -}}"
            + "{%- elif message['role'] == 'tool' -%}"
            + "{{- '<|im_start|>user\\n<tool_response>\\n' + message['content'] + '\\n</tool_response><|im_end|>\\n' -}}"
            + "{%- else -%}"
            + "{{- '<|im_start|>' + message['role'] + '\\n' -}}"
            + "{%- if message['content'] is string -%}{{- message['content'] -}}{%- endif -%}"
            + "{{- '<|im_end|>\\n' -}}"
            + "{%- endif -%}"
            + "{%- endfor -%}"
            + "{%- if add_generation_prompt -%}{{- '<|im_start|>assistant\\n' -}}{%- endif -%}";

    /**
     * Plain ChatML: renders no tools, so llama.cpp's template analyser reports that the model cannot call tools
     * ({@code chat_template_caps.supports_tools=false}). For tests of what happens then.
     */
    public static final String CHATML_WITHOUT_TOOLS = "{%- for message in messages -%}"
            + "{{- '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>\n' -}}"
            + "{%- endfor -%}"
            + "{%- if add_generation_prompt -%}{{- '<|im_start|>assistant\n' -}}{%- endif -%}";

    /** The fill-in-the-middle tokens of {@link Builder#fim(boolean)}: prefix, suffix, middle. */
    static final List<String> FIM = List.of("<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>");

    private final Mode mode;
    private final long seed;
    private final String reply;
    private final long contextLength;
    private final double noise;
    private final String chatTemplate;
    private final boolean fim;

    private TinyModel(Builder b) {
        this.mode = b.mode;
        this.seed = b.seed;
        this.reply = b.reply;
        this.contextLength = b.contextLength;
        this.noise = b.noise;
        this.chatTemplate = b.chatTemplate;
        this.fim = b.fim;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The model with the default options (scripted, seed 42, the default reply, context 4096). */
    public static TinyModel defaults() {
        return builder().build();
    }

    public String reply() {
        return reply;
    }

    /** The reply as the model produces it, one string per generated token (empty in random mode). */
    public List<String> replyTokens() {
        if (mode != Mode.SCRIPTED) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String piece : splitReply(reply, baseVocabulary())) {
            out.add(piece.replace(SPACE, " "));
        }
        return out;
    }

    /** Writes the model to {@code path} (atomically: a reader never sees half a file). */
    public Path writeTo(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, path.getFileName().toString(), ".part");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer().writeTo(out);
            }
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                // temp files are created private; a model is not a secret
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return path;
    }

    /**
     * Writes the model to {@code path} unless that file already holds exactly these bytes (a cheap way to share one
     * generated model between tests and runs).
     */
    public Path ensure(Path path) throws IOException {
        byte[] bytes = toByteArray();
        if (Files.isRegularFile(path) && Files.size(path) == bytes.length
                && java.util.Arrays.equals(Files.readAllBytes(path), bytes)) {
            return path;
        }
        return writeTo(path);
    }

    /** The whole GGUF file. */
    public byte[] toByteArray() {
        return writer().toByteArray();
    }

    public static final class Builder {
        private Mode mode = Mode.SCRIPTED;
        private long seed = 42;
        private String reply = DEFAULT_REPLY;
        private long contextLength = 4096;
        private double noise = 1e-3;
        private String chatTemplate = CHAT_TEMPLATE;
        private boolean fim;

        private Builder() {
        }

        /**
         * {@code tokenizer.chat_template}; default {@link #CHAT_TEMPLATE} (with tool calls),
         * {@link #CHATML_WITHOUT_TOOLS} for a model that cannot call tools.
         */
        public Builder chatTemplate(String chatTemplate) {
            this.chatTemplate = chatTemplate;
            return this;
        }

        public Builder mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        /** Seed of the noise, identity vectors and (random mode) weights. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The sentence the scripted model answers with (cut into at most 47 tokens of at least 3 characters). */
        public Builder reply(String reply) {
            this.reply = reply;
            return this;
        }

        /** {@code llama.context_length}, the training context llama-server reports. */
        public Builder contextLength(long contextLength) {
            this.contextLength = contextLength;
            return this;
        }

        /**
         * Fill-in-the-middle tokens ({@code <|fim_prefix|>}, {@code <|fim_suffix|>}, {@code <|fim_middle|>}, named in
         * {@code tokenizer.ggml.fim_*_token_id}), as code models have: llama-server's {@code /infill} then works, and
         * the model's capabilities include {@code insert}. The infill answer is the reply.
         */
        public Builder fim(boolean fim) {
            this.fim = fim;
            return this;
        }

        /** Amplitude of the layer weights in scripted mode. */
        public Builder noise(double noise) {
            this.noise = noise;
            return this;
        }

        public TinyModel build() {
            if (mode == Mode.SCRIPTED && (reply == null || reply.isEmpty())) {
                throw new IllegalArgumentException("the scripted model needs a non-empty reply");
            }
            if (contextLength <= 0 || contextLength > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("contextLength must be between 1 and 2^32-1, got " + contextLength);
            }
            TinyModel model = new TinyModel(this);
            checkChainLength(model.vocabulary().chainIds.size());
            return model;
        }
    }

    // ------------------------------------------------------------------ vocabulary

    record Vocabulary(List<String> tokens, float[] scores, int[] types, List<Integer> chainIds) {
    }

    private static List<String> baseVocabulary() {
        List<String> toks = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        for (int b = 0; b < 256; b++) {
            toks.add(String.format("<0x%02X>", b));
        }
        toks.add(SPACE);
        for (int c = 33; c < 127; c++) {
            toks.add(String.valueOf((char) c));
        }
        toks.addAll(List.of(TOOL_CALL, TOOL_CALL_END, TOOLS_MARK, RESP_MARK));
        return toks;
    }

    private static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    /**
     * Cuts the reply into chain tokens: words with their leading space as U+2581, each at least 3 characters and new
     * to the vocabulary (short or repeated pieces are glued to the next one).
     */
    static List<String> splitReply(String reply, List<String> taken) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < reply.length();) {
            int cp = reply.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == ' ' && cur.length() > 0) {
                words.add(cur.toString());
                cur.setLength(0);
            }
            if (cp == ' ') {
                cur.append(SPACE);
            } else {
                cur.appendCodePoint(cp);
            }
        }
        if (cur.length() > 0) {
            words.add(cur.toString());
        }
        List<String> chain = new ArrayList<>();
        Set<String> used = new LinkedHashSet<>(taken);
        int i = 0;
        while (i < words.size()) {
            String piece = words.get(i++);
            while ((length(piece) < 3 || used.contains(piece)) && i < words.size()) {
                piece += words.get(i++);
            }
            if (length(piece) < 3 || used.contains(piece)) {
                if (!chain.isEmpty() && !used.contains(chain.get(chain.size() - 1) + piece)) {
                    String last = chain.remove(chain.size() - 1);
                    used.remove(last);
                    piece = last + piece;
                } else {
                    throw new IllegalArgumentException("cannot split the reply into unique tokens of >= 3 characters: "
                            + reply);
                }
            }
            chain.add(piece);
            used.add(piece);
        }
        return chain;
    }

    /** The embedding has room for at most {@value #MAX_CHAIN} reply tokens beside the structural features. */
    static final int MAX_CHAIN = N_EMBD - 3 - 5 - 1 - 8;

    private static void checkChainLength(int chain) {
        if (chain > MAX_CHAIN) {
            throw new IllegalArgumentException("reply too long: " + chain + " tokens of at least 3 characters, at most "
                    + MAX_CHAIN);
        }
    }

    Vocabulary vocabulary() {
        List<String> toks = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        List<Integer> types = new ArrayList<>(List.of(TOK_UNKNOWN, TOK_CONTROL, TOK_CONTROL));
        for (int b = 0; b < 256; b++) {
            toks.add(String.format("<0x%02X>", b));
            types.add(TOK_BYTE);
        }
        toks.add(SPACE);
        types.add(TOK_NORMAL);
        for (int c = 33; c < 127; c++) {
            toks.add(String.valueOf((char) c));
            types.add(TOK_NORMAL);
        }
        List<String> chain = mode == Mode.SCRIPTED ? splitReply(reply, baseVocabulary()) : List.of();
        int first = toks.size();
        for (String piece : chain) {
            toks.add(piece);
            types.add(TOK_NORMAL);
        }
        for (String special : List.of(TOOL_CALL, TOOL_CALL_END, TOOLS_MARK, RESP_MARK)) {
            toks.add(special);
            types.add(TOK_USER_DEFINED);
        }
        toks.add("<|im_start|>");
        types.add(TOK_CONTROL);
        toks.add("<|im_end|>");
        types.add(TOK_CONTROL);
        if (fim) {
            toks.addAll(FIM);
            FIM.forEach(t -> types.add(TOK_CONTROL));
        }
        float[] scores = new float[toks.size()];
        int[] typeArray = new int[toks.size()];
        for (int i = 0; i < toks.size(); i++) {
            typeArray[i] = types.get(i);
            scores[i] = typeArray[i] == TOK_NORMAL ? -(float) i : 0.0f;
        }
        List<Integer> chainIds = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            chainIds.add(first + i);
        }
        return new Vocabulary(toks, scores, typeArray, chainIds);
    }

    // ------------------------------------------------------------------ tensors

    /** A row-major [rows][cols] matrix of doubles (rows = ne1, cols = ne0), rounded to float32 when written. */
    private static final class Mat {
        final int rows, cols;
        final double[] v;

        Mat(int rows, int cols) {
            this.rows = rows;
            this.cols = cols;
            this.v = new double[rows * cols];
        }

        void set(int r, int c, double x) {
            v[r * cols + c] = x;
        }

        void add(int r, int c, double x) {
            v[r * cols + c] += x;
        }

        float[] toFloats() {
            float[] f = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                f[i] = (float) v[i];
            }
            return f;
        }
    }

    /** ((nextLong() >>> 40) * 2^-24 * 2 - 1) * amp, exactly as the reference generator. */
    private static double uniform(SplittableRandom rng, double amp) {
        return ((rng.nextLong() >>> 40) * (1.0 / (1 << 24)) * 2.0 - 1.0) * amp;
    }

    /** (name, ggml dims ne0, ne1, ...): ne0 is the length of one stored row, so a matrix is stored [out][in]. */
    private static Map<String, int[]> tensorList(int nVocab) {
        int kvDim = HEAD_DIM * N_HEAD_KV;
        Map<String, int[]> t = new LinkedHashMap<>();
        t.put("token_embd.weight", new int[] { N_EMBD, nVocab });
        for (int i = 0; i < N_LAYER; i++) {
            String p = "blk." + i + ".";
            t.put(p + "attn_norm.weight", new int[] { N_EMBD });
            t.put(p + "attn_q.weight", new int[] { N_EMBD, HEAD_DIM * N_HEAD });
            t.put(p + "attn_k.weight", new int[] { N_EMBD, kvDim });
            t.put(p + "attn_v.weight", new int[] { N_EMBD, kvDim });
            t.put(p + "attn_output.weight", new int[] { HEAD_DIM * N_HEAD, N_EMBD });
            t.put(p + "ffn_norm.weight", new int[] { N_EMBD });
            t.put(p + "ffn_gate.weight", new int[] { N_EMBD, N_FF });
            t.put(p + "ffn_up.weight", new int[] { N_EMBD, N_FF });
            t.put(p + "ffn_down.weight", new int[] { N_FF, N_EMBD });
        }
        t.put("output_norm.weight", new int[] { N_EMBD });
        t.put("output.weight", new int[] { N_EMBD, nVocab });
        return t;
    }

    /**
     * Logit of each token when no successor rule applies: what a grammar falls back to. Competing structural choices
     * are at least 8 apart, so llama.cpp's default min_p keeps a single candidate even at temperature above 0.
     */
    private static double[] tokenBiases(List<String> toks, int[] types, int eosId) {
        Map<String, Double> pref = new HashMap<>(Map.ofEntries(Map.entry("\"", 64.0), Map.entry("}", 57.0),
                Map.entry("]", 55.0), Map.entry(TOOL_CALL_END, 56.0), Map.entry(",", 48.0), Map.entry("1", 40.0),
                Map.entry("0", 32.0), Map.entry("t", 24.0), Map.entry("{", 16.0), Map.entry("f", 15.0),
                Map.entry("[", 8.0), Map.entry("n", 7.0), Map.entry("-", -8.0)));
        String digits = "23456789";
        for (int k = 0; k < digits.length(); k++) {
            pref.put(String.valueOf(digits.charAt(k)), 31.0 - k);
        }
        Set<String> whitespace = Set.of(SPACE, "<0x20>", "<0x0A>", "<0x09>", "<0x0D>");
        int n = toks.size();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            String tok = toks.get(i);
            double tie = -0.01 * i / n; // unique, strictly decreasing tie-breaker
            double b;
            if (i == eosId) {
                b = 8.0; // end the turn once a grammar is satisfied
            } else if (pref.containsKey(tok)) {
                b = pref.get(tok);
            } else if (types[i] == TOK_CONTROL || types[i] == TOK_UNKNOWN || tok.equals(TOOLS_MARK)
                    || tok.equals(RESP_MARK)) {
                b = -200.0; // never emit <s>, </s>, <unk>, <|im_start|>, markers
            } else if (whitespace.contains(tok)) {
                b = -32.0; // whitespace only where a grammar forces it
            } else if (types[i] == TOK_BYTE) {
                b = -16.0; // prefer character tokens over raw bytes
            } else {
                b = 0.0;
            }
            out[i] = b + tie;
        }
        return out;
    }

    private Map<String, Mat> buildTensors(Vocabulary vocab, int eosId) {
        int nVocab = vocab.tokens.size();
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, Mat> data = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : tensorList(nVocab).entrySet()) {
            String name = e.getKey();
            int[] dims = e.getValue();
            Mat m = new Mat(dims.length > 1 ? dims[1] : 1, dims[0]);
            if (name.endsWith("norm.weight")) {
                java.util.Arrays.fill(m.v, 1.0);
            } else if (mode == Mode.SCRIPTED && (name.equals("token_embd.weight") || name.equals("output.weight"))) {
                // fully hand-set below
            } else if (mode == Mode.SCRIPTED) {
                for (int i = 0; i < m.v.length; i++) {
                    m.v[i] = uniform(rng, noise);
                }
            } else {
                double amp = name.equals("token_embd.weight") ? 1.0 : 0.02 * Math.sqrt(3.0);
                for (int i = 0; i < m.v.length; i++) {
                    m.v[i] = uniform(rng, amp);
                }
            }
            data.put(name, m);
        }
        if (mode == Mode.SCRIPTED) {
            script(data, vocab, eosId, rng);
        }
        return data;
    }

    private static void script(Map<String, Mat> data, Vocabulary vocab, int eosId, SplittableRandom rng) {
        List<String> toks = vocab.tokens;
        Map<String, Integer> tid = new HashMap<>();
        for (int i = 0; i < toks.size(); i++) {
            tid.put(toks.get(i), i);
        }
        final int bias = N_EMBD - 1, tools = N_EMBD - 2, resp = N_EMBD - 3;
        List<Integer> special = List.of(tid.get("<0x0A>"), tid.get(TOOL_CALL), tid.get(TOOL_CALL_END),
                tid.get(TOOLS_MARK), tid.get(RESP_MARK));
        Map<Integer, Integer> slot = new LinkedHashMap<>();
        List<Integer> slotted = new ArrayList<>(vocab.chainIds);
        slotted.addAll(special);
        for (int k = 0; k < slotted.size(); k++) {
            slot.put(slotted.get(k), k + 1);
        }
        checkChainLength(vocab.chainIds.size());
        int nl = slot.get(special.get(0)), tc = slot.get(special.get(1)), tce = slot.get(special.get(2)),
                mt = slot.get(special.get(3)), mr = slot.get(special.get(4));
        int identFrom = slot.size() + 1;
        int identCount = resp - identFrom; // free dimensions: per-token identity vectors (at least 8)
        double gain = 1.0 / Math.sqrt(3.0 / N_EMBD + RMS_EPS); // rms_norm gain of an embedding (squared norm 3)
        double l = 100.0; // logit of a scripted successor
        int first = vocab.chainIds.isEmpty() ? eosId : vocab.chainIds.get(0);

        Mat emb = data.get("token_embd.weight");
        for (int t = 0; t < toks.size(); t++) {
            emb.set(t, slot.getOrDefault(t, 0), 1.0);
            emb.set(t, bias, 1.0);
        }
        for (int t = 0; t < toks.size(); t++) {
            // unit-norm random identity part: makes /v1/embeddings differ per text; output.weight ignores it
            double[] vec = new double[identCount];
            double sum = 0;
            for (int d = 0; d < identCount; d++) {
                vec[d] = uniform(rng, 1.0);
                sum += vec[d] * vec[d];
            }
            double norm = Math.sqrt(sum);
            for (int d = 0; d < identCount; d++) {
                emb.set(t, identFrom + d, vec[d] / norm);
            }
        }

        // layer 0 attention: head 0 looks for "<tools>" (KV head 0), head 2 for "<tool_response>" (KV head 1);
        // q/k use dimension 14 of the head, the first half of the slowest RoPE pair (14, 15)
        Mat wq = data.get("blk.0.attn_q.weight"), wk = data.get("blk.0.attn_k.weight");
        Mat wv = data.get("blk.0.attn_v.weight"), wo = data.get("blk.0.attn_output.weight");
        int[][] heads = { { 0, 0, mt, tools }, { 2, 1, mr, resp } };
        for (int[] h : heads) {
            int head = h[0], kvHead = h[1], marker = h[2], feature = h[3];
            wq.set(head * HEAD_DIM + 14, bias, 1.0); // q = gain * 1.0, the same at every position
            wk.set(kvHead * HEAD_DIM + 14, marker, 4.0); // k = gain * 4.0 on the marker only: score ~21
            wv.set(kvHead * HEAD_DIM, marker, 1.0); // v = gain on the marker, ~0 elsewhere
            wo.set(feature, head * HEAD_DIM, 1.0 / gain); // attention output -> feature = 1.0
        }

        Mat out = data.get("output.weight");
        double[] biases = tokenBiases(toks, vocab.types, eosId);
        for (int j = 0; j < biases.length; j++) {
            out.set(j, bias, biases[j] / gain);
        }
        Map<Integer, Integer> succ = new LinkedHashMap<>();
        succ.put(0, first);
        succ.put(nl, first);
        succ.put(mt, first);
        succ.put(mr, first);
        succ.put(tc, tid.get("\""));
        succ.put(tce, eosId);
        List<Integer> chain = vocab.chainIds;
        for (int k = 0; k < chain.size(); k++) {
            succ.put(slot.get(chain.get(k)), k + 1 < chain.size() ? chain.get(k + 1) : eosId);
        }
        for (Map.Entry<Integer, Integer> e : succ.entrySet()) {
            out.add(e.getValue(), e.getKey(), l / gain);
        }
        int j = tid.get(TOOL_CALL); // after "\n": call a tool if tools are listed and no tool result is present
        out.add(j, nl, (l - 20.0) / gain); // 80 vs 100 (no tools), 120 vs 100 (tools),
        out.add(j, tools, 40.0 / gain); // 60 vs 100 (tools and a tool result)
        out.add(j, resp, -60.0 / gain);
    }

    private GgufWriter writer() {
        Vocabulary vocab = vocabulary();
        int eosId = vocab.tokens.indexOf("<|im_end|>");
        Map<String, Mat> tensors = buildTensors(vocab, eosId);
        String desc = mode == Mode.SCRIPTED
                ? "scripted test model, hand-set weights: greedy chat replies are always: " + reply
                : "random weights (seed " + seed + "): gibberish output";
        GgufWriter w = new GgufWriter(ALIGN)
                .putString("general.architecture", "llama")
                .putString("general.name", "tiny-llama-" + mode.name().toLowerCase())
                .putString("general.description", desc)
                .putUInt32("general.file_type", 0) // LLAMA_FTYPE_ALL_F32
                .putUInt32("general.alignment", ALIGN)
                .putUInt32("llama.context_length", contextLength)
                .putUInt32("llama.embedding_length", N_EMBD)
                .putUInt32("llama.block_count", N_LAYER)
                .putUInt32("llama.feed_forward_length", N_FF)
                .putUInt32("llama.attention.head_count", N_HEAD)
                .putUInt32("llama.attention.head_count_kv", N_HEAD_KV)
                .putUInt32("llama.rope.dimension_count", HEAD_DIM)
                .putFloat32("llama.rope.freq_base", (float) ROPE_BASE)
                .putFloat32("llama.attention.layer_norm_rms_epsilon", (float) RMS_EPS)
                .putUInt32("llama.vocab_size", vocab.tokens.size())
                .putString("tokenizer.ggml.model", "llama")
                .putStringArray("tokenizer.ggml.tokens", vocab.tokens)
                .putFloat32Array("tokenizer.ggml.scores", vocab.scores)
                .putInt32Array("tokenizer.ggml.token_type", vocab.types)
                .putUInt32("tokenizer.ggml.bos_token_id", 1)
                .putUInt32("tokenizer.ggml.eos_token_id", eosId)
                .putUInt32("tokenizer.ggml.unknown_token_id", 0)
                .putBool("tokenizer.ggml.add_bos_token", false)
                .putBool("tokenizer.ggml.add_eos_token", false)
                // no SentencePiece dummy space after special tokens: the rendered prompt must tokenize back to
                // exactly the template's text (llama-server replays the generation prompt through grammars)
                .putBool("tokenizer.ggml.add_space_prefix", false)
                .putString("tokenizer.chat_template", chatTemplate);
        if (fim) {
            w.putUInt32("tokenizer.ggml.fim_pre_token_id", vocab.tokens.indexOf(FIM.get(0)))
                    .putUInt32("tokenizer.ggml.fim_suf_token_id", vocab.tokens.indexOf(FIM.get(1)))
                    .putUInt32("tokenizer.ggml.fim_mid_token_id", vocab.tokens.indexOf(FIM.get(2)));
        }
        Map<String, int[]> shapes = tensorList(vocab.tokens.size());
        for (Map.Entry<String, Mat> e : tensors.entrySet()) {
            int[] dims = shapes.get(e.getKey());
            long[] ne = new long[dims.length];
            for (int i = 0; i < dims.length; i++) {
                ne[i] = dims[i];
            }
            w.addTensor(e.getKey(), ne, e.getValue().toFloats());
        }
        return w;
    }

    // ------------------------------------------------------------------ command line

    /**
     * {@code java -jar quarkus-rocm-testing.jar [-o OUT.gguf] [--mode scripted|random] [--seed N] [--reply TEXT]
     * [--ctx N] [--noise A]}
     */
    public static void main(String[] args) throws IOException {
        Builder b = builder();
        Path out = Path.of("tiny-llama.gguf");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                System.out.println("usage: java -jar quarkus-rocm-testing.jar [-o OUT.gguf] [--mode scripted|random]"
                        + " [--seed N] [--reply TEXT] [--ctx N] [--noise A]");
                return;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + a + " needs a value (see --help)");
            }
            String v = args[++i];
            switch (a) {
                case "-o", "--out" -> out = Path.of(v);
                case "--mode" -> b.mode(Mode.valueOf(v.toUpperCase()));
                case "--seed" -> b.seed(Long.parseLong(v));
                case "--reply" -> b.reply(v);
                case "--ctx" -> b.contextLength(Long.parseLong(v));
                case "--noise" -> b.noise(Double.parseDouble(v));
                default -> throw new IllegalArgumentException("unknown option " + a + " (see --help)");
            }
        }
        TinyModel model = b.build();
        model.writeTo(out);
        System.out.println("wrote " + out + " (" + model.mode.name().toLowerCase() + " mode, seed " + model.seed + ")");
    }
}
