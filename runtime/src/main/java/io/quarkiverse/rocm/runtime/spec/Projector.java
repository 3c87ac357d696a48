package io.quarkiverse.rocm.runtime.spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.quarkiverse.rocm.runtime.config.ModelConfig;
import io.quarkiverse.rocm.runtime.gguf.GgufException;
import io.quarkiverse.rocm.runtime.gguf.GgufMetadata;
import io.quarkiverse.rocm.runtime.gguf.GgufReader;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * A vision model's multimodal projector ({@code quarkus.rocm."name".mmproj}, or the one found with its file) and
 * llama-server's image options, checked: the projector is a GGUF {@code clip} file, the media folder exists.
 *
 * @param file the projector, if the model has one
 * @param bytes its size in memory (its file's)
 * @param arguments llama-server's arguments for it
 */
record Projector(Optional<Path> file, long bytes, List<String> arguments) {

    static Projector of(String name, ModelConfig m, ModelFiles files) {
        String property = ServerSpec.property(name, "mmproj");
        Optional<Path> file = m.mmproj().map(Path::toAbsolutePath).or(files::projector);
        List<String> args = new ArrayList<>();
        long bytes = 0;
        if (file.isPresent()) {
            String origin = m.mmproj().isPresent() ? property + "=" + file.get()
                    : file.get() + " (found with the model; set " + property + " to choose another)";
            GgufMetadata meta;
            try {
                meta = GgufReader.read(file.get());
            } catch (GgufException e) {
                throw new ConfigurationException("Cannot use the projector " + origin + ": " + e.getMessage()
                        + ". Point " + property + " at the model's mmproj GGUF.", e);
            }
            if (!"clip".equals(meta.architecture().orElse(""))) {
                throw new ConfigurationException("The projector " + origin + " is not a multimodal projector"
                        + " (general.architecture=" + meta.architecture().orElse("absent") + ", a projector's is"
                        + " clip): point " + property + " at the model's mmproj GGUF.");
            }
            bytes = meta.fileSize();
            args.addAll(List.of("--mmproj", file.get().toString()));
            if (!m.mmprojOffload()) {
                args.add("--no-mmproj-offload");
            }
            m.imageMinTokens().ifPresent(n -> args.addAll(List.of("--image-min-tokens", Integer.toString(n))));
            m.imageMaxTokens().ifPresent(n -> args.addAll(List.of("--image-max-tokens", Integer.toString(n))));
        }
        if (m.mediaPath().isPresent()) {
            Path dir = m.mediaPath().get().toAbsolutePath();
            if (!Files.isDirectory(dir)) {
                throw new ConfigurationException(ServerSpec.property(name, "media-path") + "=" + dir
                        + " is not a folder: point it at the folder whose images requests may name (file://NAME).");
            }
            args.addAll(List.of("--media-path", dir.toString()));
        }
        return new Projector(file, bytes, List.copyOf(args));
    }
}
