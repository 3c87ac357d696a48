package io.quarkiverse.rocm.runtime.config;

import java.nio.file.Path;

import io.smallrye.config.WithDefault;

/**
 * A LoRA adapter of a model: loaded with the model's llama-server and applied per request, so that every adapter and
 * the model itself are models of their own to callers while they share one loaded base.
 */
public interface LoraConfig {

    /**
     * The adapter's GGUF file ({@code --lora}): {@code general.type=adapter}, made for the model's architecture (
     * llama.cpp's {@code convert_lora_to_gguf.py} writes one).
     */
    Path path();

    /**
     * How strongly the adapter is applied to requests for it (llama-server's per-request {@code lora} scale):
     * {@code 1.0} as trained, {@code 0} not at all.
     */
    @WithDefault("1.0")
    double scale();
}
