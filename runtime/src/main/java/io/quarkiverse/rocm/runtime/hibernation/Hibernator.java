package io.quarkiverse.rocm.runtime.hibernation;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkiverse.rocm.runtime.json.Json;
import io.quarkiverse.rocm.runtime.server.Endpoint;
import io.quarkiverse.rocm.runtime.server.ServerProbe;

/**
 * Saves a model's slot caches before its llama-server is stopped on purpose and restores them when it starts again,
 * through llama-server's {@code POST /slots/{id}?action=save|restore} ({@code --slot-save-path}). Each slot is saved to
 * a temporary file, then moved over the last one; the identity the caches are valid for is written beside them
 * ({@value #IDENTITY}); a cache made for another start of the model, or one llama-server cannot read, is skipped with a
 * warning and deleted, never failing the start. The caches of all models stay under the disk budget, the least
 * recently used deleted first. Blocking: the supervisor calls it before a stop and before a start is ready.
 */
public final class Hibernator {

    private static final Logger LOG = Logger.getLogger(Hibernator.class);
    static final String IDENTITY = "identity.json";
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final SlotCaches caches;
    private final String displayName;
    private volatile String refused;
    private final LongAdder saves = new LongAdder();
    private final LongAdder restores = new LongAdder();
    private final LongAdder bytesWritten = new LongAdder();
    private final LongAdder tokensRestored = new LongAdder();
    private final LongAdder saveNanos = new LongAdder();
    private final LongAdder restoreNanos = new LongAdder();

    public Hibernator(SlotCaches caches, String displayName) {
        this.caches = caches;
        this.displayName = displayName;
    }

    public SlotCaches caches() {
        return caches;
    }

    /** Makes the folder llama-server saves into (it refuses to start without it); why it cannot, or empty. */
    public java.util.Optional<String> prepare() {
        try {
            Files.createDirectories(caches.dir());
            return java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.of("Cannot create " + caches.dir() + " for the saved prompt caches of model '"
                    + displayName + "': " + e + ". Point quarkus.rocm.hibernation.dir at a folder this user may write,"
                    + " or remove kv-cache.hibernate");
        }
    }

    /** Slot caches saved so far. */
    public long saves() {
        return saves.sum();
    }

    /** Slot caches restored so far. */
    public long restores() {
        return restores.sum();
    }

    /** Bytes of the caches saved so far. */
    public long bytesWritten() {
        return bytesWritten.sum();
    }

    /** Prompt tokens restored so far: what the next turns of their conversations did not evaluate again. */
    public long tokensRestored() {
        return tokensRestored.sum();
    }

    public long saveNanos() {
        return saveNanos.sum();
    }

    public long restoreNanos() {
        return restoreNanos.sum();
    }

    /** Why this model's llama-server does not save its slots, or null. */
    public String refused() {
        return refused;
    }

    /** What is saved now: each slot's file and its tokens; empty when nothing is. */
    public Map<Integer, Long> saved() {
        Map<Integer, Long> out = new LinkedHashMap<>();
        JsonNode identity = readIdentity();
        if (identity != null) {
            identity.path("slots").fields().forEachRemaining(e -> {
                if (Files.exists(slotFile(Integer.parseInt(e.getKey())))) {
                    out.put(Integer.parseInt(e.getKey()), e.getValue().path("tokens").asLong());
                }
            });
        }
        return out;
    }

    /** The bytes its saved caches take on disk now. */
    public long savedBytes() {
        long bytes = 0;
        for (int id : saved().keySet()) {
            try {
                bytes += Files.size(slotFile(id));
            } catch (IOException e) {
                // deleted meanwhile (the disk budget)
            }
        }
        return bytes;
    }

    /** Saves the caches of {@code slots} slots of the server at {@code at}, which is about to be stopped. */
    public void save(Endpoint at, int slots) {
        if (refused != null) {
            return;
        }
        long t0 = System.nanoTime();
        Path dir = caches.dir();
        ObjectNode identity = Json.MAPPER.createObjectNode();
        identity.set("identity", Json.MAPPER.valueToTree(caches.identity()));
        ObjectNode saved = identity.putObject("slots");
        long tokens = 0;
        long bytes = 0;
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve(IDENTITY)); // the files change: no identity until they are all written
            Map<Integer, JsonNode> adapters = adapters(at);
            for (int id = 0; id < slots; id++) {
                Path tmp = dir.resolve("slot-" + id + ".tmp");
                ServerProbe.Answer a = ServerProbe.post(at, "/slots/" + id + "?action=save",
                        "{\"filename\":\"" + tmp.getFileName() + "\"}", TIMEOUT);
                if (a.status() != 200) {
                    Files.deleteIfExists(tmp);
                    if (a.status() >= 400 && a.status() < 600 && id == 0) {
                        refused = "llama-server answered " + a.status() + ": " + message(a);
                        LOG.warnf("Model '%s' does not save its prompt caches (%s); they are not saved from now on",
                                displayName, refused);
                        return;
                    }
                    LOG.warnf("The prompt cache of slot %d of model '%s' was not saved: %s", id, displayName,
                            a.status() < 0 ? a.error() : a.status() + " " + message(a));
                    continue;
                }
                JsonNode answer = Json.MAPPER.readTree(a.body());
                long n = answer.path("n_saved").asLong();
                if (n == 0) {
                    Files.deleteIfExists(tmp);
                    Files.deleteIfExists(slotFile(id));
                    continue;
                }
                move(tmp, slotFile(id));
                ObjectNode slot = saved.putObject(Integer.toString(id)).put("tokens", n);
                if (adapters.containsKey(id)) {
                    slot.set("lora", adapters.get(id));
                }
                tokens += n;
                bytes += Files.size(slotFile(id));
                saves.increment();
            }
            Path tmp = dir.resolve(IDENTITY + ".tmp");
            Files.writeString(tmp, identity.toPrettyString());
            move(tmp, dir.resolve(IDENTITY));
        } catch (IOException e) {
            LOG.warnf("The prompt caches of model '%s' were not saved to %s: %s", displayName, dir, e.getMessage());
            return;
        }
        bytesWritten.add(bytes);
        long took = System.nanoTime() - t0;
        saveNanos.add(took);
        if (saved.size() > 0) {
            LOG.infof("Saved the prompt caches of model '%s' before its stop: %d slot(s), %d tokens, %d KiB in %d ms"
                    + " (%s)", displayName, saved.size(), tokens, bytes >> 10, TimeUnit.NANOSECONDS.toMillis(took), dir);
        } else {
            LOG.debugf("Model '%s' had no prompt cache to save", displayName);
        }
        DiskBudget.enforce(caches.root(), caches.maxDisk());
    }

    /**
     * Restores what was saved for this model into the server at {@code at}, which is about to be ready: only when
     * it was saved for the same start of the model.
     */
    public void restore(Endpoint at, int slots) {
        Path dir = caches.dir();
        if (!Files.exists(dir.resolve(IDENTITY))) {
            return;
        }
        long t0 = System.nanoTime();
        JsonNode saved = readIdentity();
        if (saved == null) {
            drop("its description " + dir.resolve(IDENTITY) + " cannot be read");
            return;
        }
        Map<String, String> then = new LinkedHashMap<>();
        saved.path("identity").fields().forEachRemaining(e -> then.put(e.getKey(), e.getValue().asText()));
        String change = Identities.change(then, caches.identity());
        if (change != null) {
            drop("they were saved for another start of it (" + change + ")");
            return;
        }
        List<String> restored = new ArrayList<>();
        long tokens = 0;
        for (var e : (Iterable<Map.Entry<String, JsonNode>>) saved.path("slots")::fields) {
            int id = Integer.parseInt(e.getKey());
            Path file = slotFile(id);
            if (id >= slots || !Files.exists(file)) {
                continue;
            }
            JsonNode lora = e.getValue().path("lora");
            if (lora.isArray() && !lora.isEmpty()) {
                // llama-server keeps no adapters with a saved slot, and drops a slot's cache at the first request
                // naming other adapters than its last one: a request naming these first makes them the slot's
                ServerProbe.post(at, "/completion", Json.MAPPER.createObjectNode().put("prompt", " ").put("n_predict", 0)
                        .put("id_slot", id).set("lora", lora).toString(), TIMEOUT);
            }
            ServerProbe.Answer a = ServerProbe.post(at, "/slots/" + id + "?action=restore",
                    "{\"filename\":\"" + file.getFileName() + "\"}", TIMEOUT);
            if (a.status() != 200) {
                LOG.warnf("The saved prompt cache of slot %d of model '%s' was not restored and is deleted: %s", id,
                        displayName, a.status() < 0 ? a.error() : a.status() + " " + message(a));
                delete(file);
                continue;
            }
            long n;
            try {
                n = Json.MAPPER.readTree(a.body()).path("n_restored").asLong();
            } catch (IOException ex) {
                n = e.getValue().path("tokens").asLong();
            }
            tokens += n;
            restored.add(Integer.toString(id));
            restores.increment();
            try {
                Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis())); // recently used
            } catch (IOException ex) {
                LOG.debugf("Could not mark %s as used: %s", file, ex.getMessage());
            }
        }
        tokensRestored.add(tokens);
        long took = System.nanoTime() - t0;
        restoreNanos.add(took);
        if (!restored.isEmpty()) {
            LOG.infof("Restored the prompt caches of model '%s' before its first request: slot(s) %s, %d tokens in %d"
                    + " ms", displayName, String.join(", ", restored), tokens, TimeUnit.NANOSECONDS.toMillis(took));
        }
    }

    /** Each used slot's adapters and their scales, as {@code GET /slots} tells ({@code params.lora}). */
    private static Map<Integer, JsonNode> adapters(Endpoint at) throws IOException {
        Map<Integer, JsonNode> out = new LinkedHashMap<>();
        ServerProbe.Answer a = ServerProbe.get(at, "/slots", TIMEOUT);
        if (a.status() == 200) {
            for (JsonNode slot : Json.MAPPER.readTree(a.body())) {
                JsonNode lora = slot.path("params").path("lora");
                if (lora.isArray() && !lora.isEmpty()) {
                    out.put(slot.path("id").asInt(), lora);
                }
            }
        }
        return out;
    }

    /** Deletes this model's saved caches (the Dev UI's button); what was deleted, in bytes. */
    public long drop() {
        return DiskBudget.deleteAll(caches.dir());
    }

    private void drop(String why) {
        LOG.warnf("The saved prompt caches of model '%s' are not restored, and are deleted: %s", displayName, why);
        DiskBudget.deleteAll(caches.dir());
    }

    private JsonNode readIdentity() {
        try {
            return Json.MAPPER.readTree(caches.dir().resolve(IDENTITY).toFile());
        } catch (IOException e) {
            return null;
        }
    }

    private Path slotFile(int id) {
        return caches.dir().resolve("slot-" + id + ".bin");
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("Could not delete %s: %s", file, e.getMessage());
        }
    }

    private static String message(ServerProbe.Answer a) {
        try {
            JsonNode error = Json.MAPPER.readTree(a.body()).path("error");
            return error.path("message").asText(a.body());
        } catch (IOException e) {
            return a.body();
        }
    }
}
