package io.quarkiverse.rocm.runtime.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * A model's files: the GGUF llama-server opens ({@code -m}) and the multimodal projector found with it, if any.
 * <p>
 * The rule that finds a projector without configuration (so that one folder's projector is never given to every model
 * in that folder): beside a model file {@code NAME.gguf}, the file {@code mmproj-NAME.gguf}; in a sub-folder of
 * {@code quarkus.rocm.models-dir} (one model, maybe split into parts), its one {@code mmproj*.gguf}; for a model pulled
 * from Hugging Face, the projector llama.cpp would pull with it. Files whose name starts with {@code mmproj} are never
 * models.
 *
 * @param model the file llama-server opens
 * @param projector the projector found with it
 */
public record ModelFiles(Path model, Optional<Path> projector) {

    /** A model file alone, with the projector beside it if there is one ({@code mmproj-NAME.gguf}). */
    public static ModelFiles beside(Path model) {
        Path projector = model.resolveSibling("mmproj-" + model.getFileName());
        return new ModelFiles(model, Files.isRegularFile(projector) ? Optional.of(projector) : Optional.empty());
    }

    /**
     * The model of a folder (its first GGUF that is not a projector: a split model's first part) and the folder's
     * projector; empty when the folder holds no model.
     */
    static Optional<ModelFiles> ofFolder(Path folder) throws IOException {
        List<Path> ggufs;
        try (Stream<Path> files = Files.list(folder)) {
            ggufs = files.filter(f -> f.getFileName().toString().endsWith(".gguf")).sorted().toList();
        }
        Optional<Path> model = ggufs.stream().filter(f -> !isProjector(f)).findFirst();
        if (model.isEmpty()) {
            return Optional.empty();
        }
        List<Path> projectors = ggufs.stream().filter(ModelFiles::isProjector).toList();
        if (projectors.size() > 1) {
            throw new ConfigurationException("The model folder " + folder + " (quarkus.rocm.models-dir) holds "
                    + projectors.size() + " projectors " + projectors.stream().map(p -> p.getFileName().toString())
                            .toList()
                    + ": keep the one made for " + model.get().getFileName() + ", or choose it with quarkus.rocm.\""
                    + folder.getFileName() + "\".mmproj.");
        }
        return Optional.of(new ModelFiles(model.get(), projectors.stream().findFirst()));
    }

    /** Whether a file is a multimodal projector by its name ({@code mmproj*.gguf}), not a model. */
    static boolean isProjector(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).startsWith("mmproj");
    }
}
