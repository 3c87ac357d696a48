package io.quarkiverse.rocm.runtime.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.quarkiverse.rocm.runtime.config.ModelConfig;
import io.quarkiverse.rocm.runtime.config.RocmRuntimeConfig;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Which models there are and where their files are: the configured ones ({@code quarkus.rocm."name".model.*},
 * {@code urls}), those found in {@code quarkus.rocm.models-dir}, and how each is named in the API and in logs.
 */
public final class ModelCatalog {

    private ModelCatalog() {
    }

    /** The names of the configured models: the default one if it has a model, then the named ones. */
    public static List<String> modelNames(RocmRuntimeConfig config) {
        return modelNames(config, !discovered(config).isEmpty());
    }

    static List<String> modelNames(RocmRuntimeConfig config, boolean othersFound) {
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, ModelConfig> e : config.models().entrySet()) {
            var m = e.getValue().model();
            if (m.path().isPresent() || m.dir().isPresent() || m.file().isPresent() || m.hfRepo().isPresent()
                    || e.getValue().urls().isPresent()) {
                names.add(e.getKey());
            }
        }
        names.sort((a, b) -> RocmRuntimeConfig.DEFAULT_MODEL.equals(a) ? -1
                : RocmRuntimeConfig.DEFAULT_MODEL.equals(b) ? 1 : a.compareTo(b));
        if (names.isEmpty() && !othersFound) {
            throw new ConfigurationException("No model configured: set quarkus.rocm.model.path to a GGUF file (or"
                    + " quarkus.rocm.model.dir and quarkus.rocm.model.file), or quarkus.rocm.model.hf-repo to a Hugging"
                    + " Face repository (owner/repo:QUANT). In dev and test mode the built-in tiny"
                    + " test model is served when none is configured.",
                    java.util.Set.of("quarkus.rocm.model.path"));
        }
        return names;
    }

    /**
     * The models found in {@code quarkus.rocm.models-dir}, by name: every {@code .gguf} file there (named after the
     * file) but projectors ({@code mmproj*.gguf}), and every sub-folder holding a model, maybe split into parts, and
     * its projector (named after the folder; the first part is the file llama-server opens). See {@link ModelFiles}
     * for which projector goes with which model.
     */
    public static Map<String, ModelFiles> discovered(RocmRuntimeConfig config) {
        Map<String, ModelFiles> found = new java.util.TreeMap<>();
        if (config.modelsDir().isEmpty()) {
            return found;
        }
        Path dir = config.modelsDir().get().toAbsolutePath();
        if (!Files.isDirectory(dir)) {
            throw new ConfigurationException("quarkus.rocm.models-dir=" + dir + " is not a folder: point it at the"
                    + " folder of your GGUF models, or remove it.", java.util.Set.of("quarkus.rocm.models-dir"));
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries.sorted()::iterator) {
                String file = p.getFileName().toString();
                if (Files.isRegularFile(p) && file.endsWith(".gguf") && !ModelFiles.isProjector(p)) {
                    found.put(file.substring(0, file.length() - ".gguf".length()), ModelFiles.beside(p));
                } else if (Files.isDirectory(p)) {
                    ModelFiles.ofFolder(p).ifPresent(files -> found.put(file, files));
                }
            }
        } catch (IOException e) {
            throw new ConfigurationException("Cannot list quarkus.rocm.models-dir=" + dir + ": " + e.getMessage(), e);
        }
        return found;
    }

    public static Path modelFile(String name, ModelConfig m) {
        var f = m.model();
        if (f.path().isPresent()) {
            if (f.dir().isPresent() || f.file().isPresent()) {
                throw new ConfigurationException("Set either " + ServerSpec.property(name, "model.path") + " or "
                        + ServerSpec.property(name, "model.dir") + " with " + ServerSpec.property(name, "model.file")
                        + ", not both.");
            }
            return f.path().get().toAbsolutePath(); // relative to the working directory, shown in full in errors
        }
        if (f.dir().isEmpty()) {
            throw new ConfigurationException(ServerSpec.property(name, "model.file") + " is set but "
                    + ServerSpec.property(name, "model.dir") + " is not: set it to the folder of the GGUF file.");
        }
        Path dir = f.dir().get().toAbsolutePath();
        if (!Files.isDirectory(dir)) {
            throw new ConfigurationException(ServerSpec.property(name, "model.dir") + "=" + dir
                    + " is not a folder.");
        }
        if (f.file().isEmpty()) {
            throw new ConfigurationException(ServerSpec.property(name, "model.dir") + " is set but "
                    + ServerSpec.property(name, "model.file") + " is not. GGUF files in " + dir + ": " + ggufFiles(dir));
        }
        Path file = dir.resolve(f.file().get());
        if (!Files.exists(file)) {
            throw new ConfigurationException(ServerSpec.property(name, "model.file") + "=" + f.file().get()
                    + " is not in " + dir + ". GGUF files there: " + ggufFiles(dir));
        }
        return file;
    }

    /**
     * The property that names the model file: {@code model.path}, {@code model.file} with {@code model.dir}, or
     * {@code model.hf-repo}.
     */
    static String modelProperty(String name, ModelConfig m) {
        return ServerSpec.property(name, m.model().path().isPresent() ? "model.path"
                : m.model().hfRepo().isPresent() ? "model.hf-repo" : "model.file");
    }

    private static String ggufFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".gguf")).sorted()
                    .toList();
            return names.isEmpty() ? "none" : String.join(", ", names);
        } catch (IOException e) {
            return "(cannot list: " + e.getMessage() + ")";
        }
    }

    /** The model's name in the API: {@code model.alias}, else {@code default} for the default model, else its name. */
    public static String alias(String name, ModelConfig m) {
        return m.model().alias().orElse(RocmRuntimeConfig.DEFAULT_MODEL.equals(name) ? "default" : name);
    }

    /** How logs name the model before its spec exists. */
    static String displayName(String name, ModelConfig m) {
        return RocmRuntimeConfig.DEFAULT_MODEL.equals(name) ? alias(name, m) : name;
    }
}
