package io.quarkiverse.rocm.runtime.server.pool;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which replica holds which conversation prefix in its prompt cache, remembered from the requests it was given
 * ({@link io.quarkiverse.rocm.runtime.server.Prefixes}). The next turn of a conversation repeats every message of the
 * last one, so its longest known prefix is the last turn's whole request; a new conversation with the same system
 * prompt (and tools) shares the first prefix. llama-server reuses the cached tokens of the longest common prefix, so
 * sending either to the replica that saw it saves the prompt evaluation of that prefix. Bounded: the least recently
 * used prefixes are forgotten first.
 */
final class PrefixAffinity {

    private final Map<Long, Integer> owners;

    PrefixAffinity(int capacity) {
        this.owners = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Integer> eldest) {
                return size() > capacity;
            }
        };
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
}
