package io.quarkiverse.rocm.runtime.hibernation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkiverse.rocm.runtime.json.Json;
import io.quarkiverse.rocm.runtime.server.Endpoint;

/**
 * Saves a model's slot caches before its llama-server is stopped on purpose and restores them when it starts again
 * ({@link SlotFiles}); with {@code kv-cache.per-conversation} its {@link ConversationSlots} save and restore each
 * conversation as slots change hands, and a stop saves each slot as its conversation's. The identity the caches are
 * valid for is written beside them ({@value #IDENTITY}); a cache made for another start of the model, or one
 * llama-server cannot read, is skipped with a warning and deleted, never failing the start. The caches of all models
 * stay under the disk budget, the least recently used deleted first. Blocking: the supervisor calls it before a stop
 * and before a start is ready.
 */
public final class Hibernator {

    private static final Logger LOG = Logger.getLogger(Hibernator.class);
    static final String IDENTITY = "identity.json";

    private final SlotCaches caches;
    private final SlotFiles files;
    private final String displayName;
    private final ConversationSlots conversations;
    private volatile String refused;
    private final LongAdder saves = new LongAdder();
    private final LongAdder restores = new LongAdder();
    private final LongAdder bytesWritten = new LongAdder();
    private final LongAdder tokensRestored = new LongAdder();
    private final LongAdder saveNanos = new LongAdder();
    private final LongAdder restoreNanos = new LongAdder();

    /** @param slots the model's slots ({@code parallel}) */
    public Hibernator(SlotCaches caches, String displayName, int slots) {
        this.caches = caches;
        this.displayName = displayName;
        this.files = new SlotFiles(caches.dir());
        this.conversations = caches.perConversation() ? new ConversationSlots(this, files, slots, displayName) : null;
    }

    public SlotCaches caches() {
        return caches;
    }

    /** Its slots by conversation, with {@code kv-cache.per-conversation}. */
    public Optional<ConversationSlots> conversations() {
        return Optional.ofNullable(conversations);
    }

    /** Makes the folder llama-server saves into (it refuses to start without it); why it cannot, or empty. */
    public Optional<String> prepare() {
        try {
            Files.createDirectories(caches.dir());
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("Cannot create " + caches.dir() + " for the saved prompt caches of model '"
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

    void counted(SlotFiles.Saved saved, long nanos) {
        saves.increment();
        bytesWritten.add(saved.bytes());
        saveNanos.add(nanos);
    }

    void restored(long tokens, long nanos) {
        restores.increment();
        tokensRestored.add(tokens);
        restoreNanos.add(nanos);
    }

    /** What is saved now: each saved slot (or conversation: numbered from 0) and its tokens; empty when nothing is. */
    public Map<Integer, Long> saved() {
        Map<Integer, Long> out = new LinkedHashMap<>();
        JsonNode identity = readIdentity();
        if (identity != null) {
            identity.path("slots").fields().forEachRemaining(e -> {
                if (Files.exists(files.file("slot-" + e.getKey()))) {
                    out.put(Integer.parseInt(e.getKey()), e.getValue().path("tokens").asLong());
                }
            });
        }
        for (Path meta : conversationFiles()) {
            try {
                out.put(out.size(), Json.MAPPER.readTree(meta.toFile()).path("tokens").asLong());
            } catch (IOException e) {
                // deleted meanwhile
            }
        }
        return out;
    }

    /** The bytes its saved caches take on disk now. */
    public long savedBytes() {
        try (var all = Files.list(caches.dir())) {
            return all.filter(p -> p.toString().endsWith(".bin")).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Saves the caches of {@code slots} slots of the server at {@code at}, which is about to be stopped. */
    public void save(Endpoint at, int slots) {
        if (refused != null) {
            return;
        }
        long t0 = System.nanoTime();
        long before = bytesWritten.sum();
        long count = saves.sum();
        ObjectNode identity = identity();
        ObjectNode saved = identity.putObject("slots");
        try {
            Files.createDirectories(caches.dir());
            if (conversations != null) {
                conversations.saveAll(at);
            } else {
                Files.deleteIfExists(caches.dir().resolve(IDENTITY)); // no identity until the files are all written
                Map<Integer, JsonNode> adapters = SlotFiles.adapters(at);
                for (int id = 0; id < slots; id++) {
                    long t = System.nanoTime();
                    SlotFiles.Saved s;
                    try {
                        s = files.save(at, id, "slot-" + id, adapters.get(id));
                    } catch (SlotFiles.Failed f) {
                        if (f.status >= 400 && id == 0) {
                            refused = f.getMessage();
                            LOG.warnf("Model '%s' does not save its prompt caches (%s); they are not saved from now on",
                                    displayName, refused);
                            return;
                        }
                        LOG.warnf("The prompt cache of slot %d of model '%s' was not saved: %s", id, displayName,
                                f.getMessage());
                        continue;
                    }
                    if (s != null) {
                        ObjectNode slot = saved.putObject(Integer.toString(id)).put("tokens", s.tokens());
                        if (s.lora() != null) {
                            slot.set("lora", s.lora());
                        }
                        counted(s, System.nanoTime() - t);
                    }
                }
            }
            writeIdentity(identity);
        } catch (IOException e) {
            LOG.warnf("The prompt caches of model '%s' were not saved to %s: %s", displayName, caches.dir(),
                    e.getMessage());
            return;
        }
        if (saves.sum() > count) {
            LOG.infof("Saved the prompt caches of model '%s' before its stop: %d slot(s), %d KiB in %d ms (%s)",
                    displayName, saves.sum() - count, (bytesWritten.sum() - before) >> 10,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), caches.dir());
        }
        DiskBudget.enforce(caches.root(), caches.maxDisk());
    }

    /**
     * Restores what was saved for this model into the server at {@code at}, which is about to be ready: only when
     * it was saved for the same start of the model. By conversation, nothing is restored now: each conversation is,
     * into the slot it gets, when it returns.
     */
    public void restore(Endpoint at, int slots) {
        JsonNode saved = Files.exists(caches.dir().resolve(IDENTITY)) ? readIdentity() : null;
        String change = saved == null ? null : Identities.change(identity(saved), caches.identity());
        if (saved == null && Files.exists(caches.dir().resolve(IDENTITY))) {
            drop("its description " + caches.dir().resolve(IDENTITY) + " cannot be read");
        } else if (change != null) {
            drop("they were saved for another start of it (" + change + ")");
            saved = null;
        }
        if (conversations != null) {
            conversations.reset();
            try { // the conversations saved from now on are this start's
                writeIdentity(identity());
            } catch (IOException e) {
                LOG.warnf("Could not describe the saved prompt caches of model '%s': %s", displayName, e.getMessage());
            }
            return;
        }
        if (saved == null) {
            return;
        }
        long t0 = System.nanoTime();
        List<String> restored = new ArrayList<>();
        long tokens = tokensRestored.sum();
        for (var e : (Iterable<Map.Entry<String, JsonNode>>) saved.path("slots")::fields) {
            int id = Integer.parseInt(e.getKey());
            if (id >= slots || !Files.exists(files.file("slot-" + id))) {
                continue;
            }
            long t = System.nanoTime();
            try {
                restored(files.restore(at, id, "slot-" + id, e.getValue().get("lora")), System.nanoTime() - t);
                restored.add(Integer.toString(id));
            } catch (IOException ex) {
                LOG.warnf("The saved prompt cache of slot %d of model '%s' was not restored and is deleted: %s", id,
                        displayName, ex.getMessage());
                DiskBudget.delete(files.file("slot-" + id));
            }
        }
        if (!restored.isEmpty()) {
            LOG.infof("Restored the prompt caches of model '%s' before its first request: slot(s) %s, %d tokens in %d"
                    + " ms", displayName, String.join(", ", restored), tokensRestored.sum() - tokens,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }
    }

    /** Deletes this model's saved caches (the Dev UI's button); what was deleted, in bytes. */
    public long drop() {
        return DiskBudget.deleteAll(caches.dir());
    }

    private void drop(String why) {
        LOG.warnf("The saved prompt caches of model '%s' are not restored, and are deleted: %s", displayName, why);
        DiskBudget.deleteAll(caches.dir());
    }

    private ObjectNode identity() {
        ObjectNode identity = Json.MAPPER.createObjectNode();
        identity.set("identity", Json.MAPPER.valueToTree(caches.identity()));
        return identity;
    }

    private static Map<String, String> identity(JsonNode saved) {
        Map<String, String> then = new LinkedHashMap<>();
        saved.path("identity").fields().forEachRemaining(e -> then.put(e.getKey(), e.getValue().asText()));
        return then;
    }

    private void writeIdentity(ObjectNode identity) throws IOException {
        Path tmp = caches.dir().resolve(IDENTITY + ".tmp");
        Files.writeString(tmp, identity.toPrettyString());
        SlotFiles.move(tmp, caches.dir().resolve(IDENTITY));
    }

    private JsonNode readIdentity() {
        try {
            return Json.MAPPER.readTree(caches.dir().resolve(IDENTITY).toFile());
        } catch (IOException e) {
            return null;
        }
    }

    private List<Path> conversationFiles() {
        try (var all = Files.list(caches.dir())) {
            return all.filter(p -> p.getFileName().toString().matches("conv-[0-9a-f]+\\.json"))
                    .filter(p -> Files.exists(p.resolveSibling(p.getFileName().toString().replace(".json", ".bin"))))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
