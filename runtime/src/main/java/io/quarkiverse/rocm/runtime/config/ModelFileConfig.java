package io.quarkiverse.rocm.runtime.config;

import java.nio.file.Path;
import java.util.Optional;

import io.smallrye.config.WithDefault;

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
     * A model by its Hugging Face repository, as llama-server's {@code -hf} takes it: {@code owner/repo:QUANT} (for
     * example {@code ggml-org/gemma-3-4b-it-GGUF:Q4_K_M}). The file is chosen as llama-server chooses it: the first GGUF
     * whose name has {@code QUANT} followed by {@code .} or {@code -}; without a tag {@code Q4_K_M}, then {@code Q8_0},
     * then the first GGUF. A split model comes whole, and the repository's multimodal projector ({@code mmproj}) with
     * it. It is pulled into the cache ({@code quarkus.rocm.hf.cache}) as {@code quarkus.rocm.pull} says, then checked
     * like a local file.
     */
    Optional<String> hfRepo();

    /**
     * An exact file of {@code hf-repo} ({@code model-Q5_K_S.gguf}, or a split model's first part) instead of a choice
     * by quantization.
     */
    Optional<String> hfFile();

    /**
     * The branch, tag or commit of {@code hf-repo} to pull.
     */
    @WithDefault("main")
    String hfRevision();

    /**
     * The model's name in the API ({@code model} of OpenAI requests, {@code /v1/models}). Default: the model's name
     * ({@code default} for the default model).
     */
    Optional<String> alias();
}
