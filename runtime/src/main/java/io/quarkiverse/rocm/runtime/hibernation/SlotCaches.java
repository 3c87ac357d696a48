package io.quarkiverse.rocm.runtime.hibernation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where one model's slot caches are saved while it is not loaded, and what they are valid for: the model's name, its
 * file (path, size, modification time), the llama.cpp build and the flags it is started with (context, slots, KV cache
 * types, adapters, projector among them). A saved cache is restored only into a start with the same identity, so two
 * models on one GGUF, or one model started another way, never share one.
 *
 * @param model the model's name in the API (its folder's name: unique among the models)
 * @param root the folder of every model's saved caches ({@code quarkus.rocm.hibernation.dir})
 * @param identity what the caches are valid for
 * @param maxDisk the most bytes the caches of all models may take ({@code quarkus.rocm.hibernation.max-disk})
 * @param perConversation whether slots are saved and restored by conversation ({@code kv-cache.per-conversation})
 */
public record SlotCaches(String model, Path root, Map<String, String> identity, long maxDisk, boolean perConversation) {

    /**
     * @param flags the llama-server arguments of the model (without the save folder's own)
     */
    public static SlotCaches of(String model, Path root, Path modelFile, Path binary, String version,
            List<String> flags, long maxDisk, boolean perConversation) {
        Map<String, String> identity = new LinkedHashMap<>();
        identity.put("model", model);
        identity.put("file", modelFile.toAbsolutePath().normalize().toString());
        try {
            identity.put("file size", Long.toString(Files.size(modelFile)));
            identity.put("file modified", Files.getLastModifiedTime(modelFile).toString());
        } catch (IOException e) {
            identity.put("file size", "unknown: " + e.getMessage());
        }
        identity.put("llama.cpp", version + " (" + binary + ")");
        identity.put("flags", String.join(" ", flags));
        return new SlotCaches(model, root, java.util.Collections.unmodifiableMap(identity), maxDisk, perConversation);
    }

    /** The model's folder: its name, with what a file name cannot hold replaced. */
    public Path dir() {
        return root.resolve(model.replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    /** llama-server's flag that lets it save and restore slots in {@link #dir()}. */
    public List<String> flags() {
        return List.of("--slot-save-path", dir().toAbsolutePath().toString());
    }
}
