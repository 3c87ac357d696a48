package io.quarkiverse.rocm.runtime.config;

import java.nio.file.Path;
import java.util.Optional;

/** Where the GGUF file is and what it is called. */
public interface ModelFileConfig {

    /**
     * Path of the GGUF model file. In dev and test mode, when no model is configured at all, the built-in tiny test
     * model is served instead (with a warning).
     */
    Optional<Path> path();

    /**
     * A folder of GGUF files; with {@code model.file}, an alternative to {@code model.path}.
     */
    Optional<Path> dir();

    /**
     * The GGUF file name inside {@code model.dir}.
     */
    Optional<String> file();

    /**
     * The model's name in the API ({@code model} of OpenAI requests, {@code /v1/models}). Default: the model's name
     * ({@code default} for the default model).
     */
    Optional<String> alias();
}
