package io.quarkiverse.rocm.runtime.hibernation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkiverse.rocm.runtime.json.Json;
import io.quarkiverse.rocm.runtime.process.DaemonThreads;
import io.quarkiverse.rocm.runtime.server.Endpoint;

/**
 * Hibernation per conversation ({@code kv-cache.per-conversation}): which conversation each of a model's slots holds.
 * A request is sent to its conversation's slot ({@code id_slot}); a conversation without one gets a free slot, or the
 * least recently used idle one, whose conversation is saved first ({@code conv-HASH.bin}); a conversation that was
 * saved is restored into its new slot before its request is let in. Moves happen one at a time, off the event loops;
 * a request of a conversation whose slot is still being moved waits for the move. When every slot is busy a new
 * conversation's request is not pinned (llama-server queues it and picks a slot; nothing is saved for that one).
 * Conversations are named by their callers or recognised by their prefix; their names are hashed, never written.
 */
public final class ConversationSlots {

    private static final Logger LOG = Logger.getLogger(ConversationSlots.class);

    /** Where one request goes: its slot (-1: not pinned), and what to call when it ends. */
    public record Placement(int slot, Runnable release) {
        public static final Placement NONE = new Placement(-1, () -> {
        });
    }

    private final Hibernator hibernator;
    private final SlotFiles files;
    private final String displayName;
    /** One move at a time; its thread ends when idle (a dev-mode reload leaves none behind). */
    private final ExecutorService moves = new ThreadPoolExecutor(0, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
            DaemonThreads.named("rocm-conversations"));
    // guarded by this
    private final String[] occupant;
    private final int[] busy;
    private final long[] used;
    private final CompletableFuture<?>[] ready;
    private final Map<String, Integer> holder = new HashMap<>();
    private long tick;

    ConversationSlots(Hibernator hibernator, SlotFiles files, int slots, String displayName) {
        this.hibernator = hibernator;
        this.files = files;
        this.displayName = displayName;
        this.occupant = new String[slots];
        this.busy = new int[slots];
        this.used = new long[slots];
        this.ready = new CompletableFuture<?>[slots];
        for (int i = 0; i < slots; i++) {
            ready[i] = CompletableFuture.completedFuture(null);
        }
    }

    /** The slot of conversation {@code key} at the server at {@code at}, once its cache is there. */
    public CompletableFuture<Placement> place(Endpoint at, String key) {
        String hashed = hash(key);
        synchronized (this) {
            Integer s = holder.get(hashed);
            if (s != null) {
                return take(s);
            }
        }
        return CompletableFuture.supplyAsync(() -> move(at, hashed), moves).thenCompose(p -> p);
    }

    /** The slots are empty: the server started, or restarted after a crash (the saved conversations stay). */
    public synchronized void reset() {
        holder.clear();
        java.util.Arrays.fill(occupant, null);
    }

    /** The conversations the slots hold, by slot (hashed names). */
    public synchronized Map<Integer, String> held() {
        Map<Integer, String> out = new HashMap<>();
        holder.forEach((k, s) -> out.put(s, k));
        return out;
    }

    /** Saves every slot's conversation (the server is about to stop); the slots saved. */
    int saveAll(Endpoint at) throws IOException {
        Map<Integer, String> held = held();
        Map<Integer, JsonNode> adapters = SlotFiles.adapters(at);
        int saved = 0;
        for (Map.Entry<Integer, String> e : held.entrySet()) {
            if (save(at, e.getKey(), e.getValue(), adapters.get(e.getKey()))) {
                saved++;
            }
        }
        reset();
        return saved;
    }

    private synchronized CompletableFuture<Placement> take(int s) {
        busy[s]++;
        used[s] = ++tick;
        return ready[s].thenApply(v -> new Placement(s, () -> release(s)));
    }

    private synchronized void release(int s) {
        busy[s]--;
        used[s] = ++tick;
    }

    /** On the moves' thread: a slot for {@code key}, its last conversation saved and its own restored. */
    private CompletableFuture<Placement> move(Endpoint at, String key) {
        int s;
        String evicted;
        CompletableFuture<Placement> placed;
        CompletableFuture<Void> moved = new CompletableFuture<>();
        synchronized (this) {
            Integer held = holder.get(key); // placed by an earlier move of this conversation
            if (held != null) {
                return take(held);
            }
            s = choose();
            if (s < 0) {
                return CompletableFuture.completedFuture(Placement.NONE);
            }
            evicted = occupant[s];
            if (evicted != null) {
                holder.remove(evicted);
            }
            occupant[s] = key;
            holder.put(key, s);
            ready[s] = moved;
            placed = take(s);
        }
        try {
            if (evicted != null) {
                save(at, s, evicted, SlotFiles.adapters(at).get(s));
            }
            restore(at, s, key);
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Slot %d of model '%s' was not moved to another conversation: %s", s, displayName, e.getMessage());
        } finally {
            moved.complete(null);
        }
        return placed;
    }

    /** A slot no conversation holds, else the least recently used idle one; -1 when all are busy. */
    private int choose() {
        int best = -1;
        for (int i = 0; i < occupant.length; i++) {
            if (busy[i] > 0) {
                continue;
            }
            if (occupant[i] == null) {
                return i;
            }
            if (best < 0 || used[i] < used[best]) {
                best = i;
            }
        }
        return best;
    }

    private boolean save(Endpoint at, int slot, String key, JsonNode lora) {
        long t0 = System.nanoTime();
        try {
            SlotFiles.Saved saved = files.save(at, slot, name(key), lora);
            if (saved == null) {
                return false;
            }
            ObjectNode meta = Json.MAPPER.createObjectNode().put("tokens", saved.tokens());
            if (lora != null) {
                meta.set("lora", lora);
            }
            Path tmp = files.file(name(key)).resolveSibling(name(key) + ".json.tmp");
            Files.writeString(tmp, meta.toString());
            SlotFiles.move(tmp, files.file(name(key)).resolveSibling(name(key) + ".json"));
            hibernator.counted(saved, System.nanoTime() - t0);
            LOG.debugf("Saved conversation %s of model '%s' from slot %d: %d tokens", key, displayName, slot,
                    saved.tokens());
            return true;
        } catch (IOException e) {
            LOG.warnf("The conversation in slot %d of model '%s' was not saved: %s", slot, displayName, e.getMessage());
            return false;
        }
    }

    private void restore(Endpoint at, int slot, String key) {
        Path file = files.file(name(key));
        if (!Files.exists(file)) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            Path meta = file.resolveSibling(name(key) + ".json");
            JsonNode lora = Files.exists(meta) ? Json.MAPPER.readTree(meta.toFile()).get("lora") : null;
            long tokens = files.restore(at, slot, name(key), lora);
            hibernator.restored(tokens, System.nanoTime() - t0);
            LOG.debugf("Restored conversation %s of model '%s' into slot %d: %d tokens", key, displayName, slot, tokens);
        } catch (IOException e) {
            LOG.warnf("The saved conversation %s of model '%s' was not restored and is deleted: %s", key, displayName,
                    e.getMessage());
            DiskBudget.delete(file);
        }
    }

    private static String name(String hashed) {
        return "conv-" + hashed;
    }

    /** A conversation's name as files and logs show it: the first 96 bits of its SHA-256. */
    public static String hash(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
