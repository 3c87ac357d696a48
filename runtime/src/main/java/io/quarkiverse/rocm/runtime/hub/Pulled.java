package io.quarkiverse.rocm.runtime.hub;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A model's files in the cache.
 *
 * @param model what was asked for
 * @param commit the commit they are of
 * @param parts the model's files in the snapshot, the one llama-server opens first
 * @param projector its multimodal projector, when the repository has one
 * @param downloaded whether this pull downloaded anything
 */
public record Pulled(HubModel model, String commit, List<Path> parts, Optional<Path> projector, boolean downloaded) {

    /** The file llama-server opens ({@code -m}). */
    public Path file() {
        return parts.get(0);
    }
}
