package io.quarkiverse.rocm.runtime.config;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/** Speculative decoding with a draft model: a small model proposes tokens, the model checks them in one batch. */
public interface DraftConfig {

    /** The draft model. */
    DraftModel model();

    /** The draft model's file. */
    interface DraftModel {
        /**
         * The draft model's GGUF ({@code --spec-draft-model}): a small model with the same vocabulary as the model
         * (llama-server refuses another). It is loaded in the model's llama-server, beside it.
         */
        Optional<Path> path();
    }

    /**
     * The draft model named by its Hugging Face repository ({@code owner/repo:QUANT}, the file chosen as for
     * {@code model.hf-repo}), instead of {@code draft.model.path}: pulled into the model cache, as the model's
     * {@code pull} policy says, before the model's llama-server starts.
     */
    java.util.Optional<String> hfRepo();

    /** The most tokens drafted at a time ({@code --spec-draft-n-max}). Default: llama-server's. */
    OptionalInt max();

    /** The fewest tokens drafted at a time ({@code --spec-draft-n-min}). Default: llama-server's. */
    OptionalInt min();

    /** The least probability a drafted token needs to be proposed ({@code --spec-draft-p-min}). Default: llama-server's. */
    OptionalDouble pMin();

    /** Layers of the draft model to offload to the GPU ({@code --spec-draft-ngl}). Default: llama-server's. */
    Optional<String> gpuLayers();
}
