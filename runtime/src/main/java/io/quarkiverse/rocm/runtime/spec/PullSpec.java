package io.quarkiverse.rocm.runtime.spec;

import java.time.Duration;
import java.util.function.Function;

import io.quarkiverse.rocm.runtime.config.PullPolicy;
import io.quarkiverse.rocm.runtime.hub.HubModel;
import io.quarkiverse.rocm.runtime.hub.Puller;
import io.quarkiverse.rocm.runtime.scheduling.Policy;

/**
 * A model named by its Hugging Face repository whose file must be pulled first (the cache does not hold it, or
 * {@code pull=always}): its server pulls it at its first load, then plans it from the file exactly as a local one
 * ({@link #plan}: the GGUF header, the context, the VRAM preflight) and runs it.
 *
 * @param hub the repository, quantization or file, and revision
 * @param pull when to download
 * @param puller the hub and cache
 * @param plan the spec of the pulled file, checked as a local file is
 * @param contextSize the configured context, or 0 until the file says
 * @param adapters its LoRA adapters (checked against the model's architecture once it is pulled)
 */
public record PullSpec(String name, String alias, HubModel hub, PullPolicy pull, Puller puller,
        Function<ModelFiles, LocalSpec> plan, int contextSize, int parallel, boolean embeddings, boolean reranking,
        Duration startupTimeout,
        Duration stopTimeout, RestartPolicy restart, Duration canaryInterval, Duration canaryTimeout, Policy policy,
        Adapters adapters)
        implements
            LoadableSpec {

    @Override
    public long plannedBytes() {
        return 0;
    }

    /** The property that names the model: {@code model.hf-repo}. */
    public String hubProperty() {
        return property("model.hf-repo");
    }
}
