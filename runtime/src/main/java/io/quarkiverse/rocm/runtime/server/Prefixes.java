package io.quarkiverse.rocm.runtime.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkiverse.rocm.runtime.json.Json;

/**
 * A request's prefixes, as prompt caches see them: a chat request's are its tools and its messages up to each one,
 * {@code tools + m0}, {@code tools + m0 + m1}, ... (each a 64-bit FNV-1a hash chained over the messages' JSON); a raw
 * {@code prompt} is cut into 256-character blocks instead. The pools send a conversation where its longest prefix is
 * cached; hibernation by conversation recognises an unnamed conversation by its first two.
 */
public final class Prefixes {

    private static final int PROMPT_BLOCK = 256;
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private Prefixes() {
    }

    /** The prefixes of a request body, shortest first; empty for a body that is not a chat or a prompt. */
    public static long[] of(byte[] body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return new long[0];
        }
        if (root == null) {
            return new long[0];
        }
        JsonNode messages = root.get("messages");
        if (messages != null && messages.isArray() && messages.size() > 0) {
            long h = fnv(FNV_OFFSET, root.path("tools").toString());
            long[] out = new long[messages.size()];
            for (int i = 0; i < messages.size(); i++) {
                h = fnv(h, messages.get(i).toString());
                out[i] = h;
            }
            return out;
        }
        JsonNode prompt = root.get("prompt");
        if (prompt != null && prompt.isTextual()) {
            String text = prompt.asText();
            int blocks = text.length() / PROMPT_BLOCK;
            long[] out = new long[blocks];
            long h = FNV_OFFSET;
            for (int i = 0; i < blocks; i++) {
                h = fnv(h, text.substring(i * PROMPT_BLOCK, (i + 1) * PROMPT_BLOCK));
                out[i] = h;
            }
            return out;
        }
        return new long[0];
    }

    /**
     * An unnamed conversation, recognised by its first two prefixes (its system prompt and first question, which every
     * later turn repeats); null for a body that has none.
     */
    public static String conversation(byte[] body) {
        long[] p = of(body);
        return p.length == 0 ? null : "prefix:" + Long.toHexString(p[Math.min(1, p.length - 1)]);
    }

    private static long fnv(long h, String s) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= FNV_PRIME;
        }
        h ^= 0xff; // a separator: ["ab","c"] and ["a","bc"] differ
        h *= FNV_PRIME;
        return h;
    }
}
