package io.quarkiverse.rocm.runtime.hibernation;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkiverse.rocm.runtime.json.Json;
import io.quarkiverse.rocm.runtime.server.Endpoint;
import io.quarkiverse.rocm.runtime.server.ServerProbe;

/**
 * One slot's prompt cache to and from a named file in a model's folder, through llama-server's
 * {@code POST /slots/{id}?action=save|restore}: saved to {@code NAME.tmp}, then moved over {@code NAME.bin}; restored
 * after the slot is given the adapters the cache was made under (llama-server keeps none with a saved slot, and drops a
 * slot's cache at the first request naming other adapters than its last one).
 */
final class SlotFiles {

    static final Duration TIMEOUT = Duration.ofMinutes(5);

    /** A slot saved: its tokens, the file's bytes, the adapters it was made under (null: none). */
    record Saved(long tokens, long bytes, JsonNode lora) {
    }

    /** llama-server did not save or restore: its status (-1: no answer) and why. */
    static final class Failed extends IOException {
        final int status;

        Failed(int status, String why) {
            super(why);
            this.status = status;
        }
    }

    private final Path dir;

    SlotFiles(Path dir) {
        this.dir = dir;
    }

    Path file(String name) {
        return dir.resolve(name + ".bin");
    }

    /** Saves slot {@code id} as {@code name}; null when the slot holds nothing (then no file is left). */
    Saved save(Endpoint at, int id, String name, JsonNode lora) throws IOException {
        Files.createDirectories(dir); // llama-server writes only into a folder that exists
        Path tmp = dir.resolve(name + ".tmp");
        ServerProbe.Answer a = ServerProbe.post(at, "/slots/" + id + "?action=save",
                "{\"filename\":\"" + tmp.getFileName() + "\"}", TIMEOUT);
        if (a.status() != 200) {
            Files.deleteIfExists(tmp);
            throw new Failed(a.status(), a.status() < 0 ? a.error()
                    : "llama-server answered " + a.status() + ": "
                            + message(a));
        }
        long tokens = Json.MAPPER.readTree(a.body()).path("n_saved").asLong();
        if (tokens == 0) {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(file(name));
            return null;
        }
        move(tmp, file(name));
        return new Saved(tokens, Files.size(file(name)), lora);
    }

    /** Restores {@code name} into slot {@code id}; the tokens restored. */
    long restore(Endpoint at, int id, String name, JsonNode lora) throws IOException {
        if (lora != null && lora.isArray() && !lora.isEmpty()) { // the slot's adapters first
            ServerProbe.post(at, "/completion", Json.MAPPER.createObjectNode().put("prompt", " ").put("n_predict", 0)
                    .put("id_slot", id).set("lora", lora).toString(), TIMEOUT);
        }
        ServerProbe.Answer a = ServerProbe.post(at, "/slots/" + id + "?action=restore",
                "{\"filename\":\"" + file(name).getFileName() + "\"}", TIMEOUT);
        if (a.status() != 200) {
            throw new Failed(a.status(), a.status() < 0 ? a.error() : a.status() + " " + message(a));
        }
        Files.setLastModifiedTime(file(name), FileTime.fromMillis(System.currentTimeMillis())); // recently used
        return Json.MAPPER.readTree(a.body()).path("n_restored").asLong();
    }

    /** Each used slot's adapters and their scales, as {@code GET /slots} tells ({@code params.lora}). */
    static Map<Integer, JsonNode> adapters(Endpoint at) throws IOException {
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

    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String message(ServerProbe.Answer a) {
        try {
            return Json.MAPPER.readTree(a.body()).path("error").path("message").asText(a.body());
        } catch (IOException e) {
            return a.body();
        }
    }
}
