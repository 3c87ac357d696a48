package io.quarkiverse.rocm.runtime.server.pool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkiverse.rocm.runtime.json.Json;

/**
 * Which replica holds which conversation prefix in its prompt cache, remembered from the requests it was given.
 * <p>
 * A chat request's prefixes are its tools and its messages up to each one: {@code tools + m0}, {@code tools + m0 + m1},
 * ... (each a 64-bit FNV-1a hash chained over the messages' JSON). The next turn of a conversation repeats every
 * message of the last one and adds the answer and a new question, so its longest known prefix is the last turn's
 * whole request; a new conversation with the same system prompt (and tools) shares the first prefix. llama-server
 * reuses the cached tokens of the longest common prefix, so sending either to the replica that saw it saves the
 * prompt evaluation of that prefix. A raw {@code prompt} is cut into 256-character blocks instead. Bounded: the
 * least recently used prefixes are forgotten first.
 */
final class PrefixAffinity {

    private static final int PROMPT_BLOCK = 256;
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final Map<Long, Integer> owners;

    PrefixAffinity(int capacity) {
        this.owners = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Integer> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The prefixes of a request body, shortest first; empty for a body that is not a chat or a prompt. */
    static long[] prefixes(byte[] body) {
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

    /** The replica that was given the longest of these prefixes, or -1. */
    synchronized int owner(long[] prefixes) {
        for (int i = prefixes.length - 1; i >= 0; i--) {
            Integer r = owners.get(prefixes[i]);
            if (r != null) {
                return r;
            }
        }
        return -1;
    }

    /** Remembers that {@code replica} now holds every one of these prefixes. */
    synchronized void given(long[] prefixes, int replica) {
        for (long p : prefixes) {
            owners.put(p, replica);
        }
    }

    /** Forgets what a replica held: it restarted, or left the pool, and its cache with it. */
    synchronized void forget(int replica) {
        owners.values().removeIf(r -> r == replica);
    }

    synchronized int size() {
        return owners.size();
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
