package io.quarkiverse.rocm.runtime.spec;

import io.quarkiverse.rocm.runtime.scheduling.Policy;

/**
 * A model this application loads and unloads (the scheduler's to run): a local file ({@link LocalSpec}), or a model
 * named by its Hugging Face repository that is not in the cache yet ({@link PullSpec}).
 */
public sealed interface LoadableSpec extends ServerSpec permits LocalSpec, PullSpec {

    /** When the scheduler may unload it. */
    Policy policy();

    /** The memory it needs, estimated from its GGUF, in bytes; 0 while its file is not here. */
    long plannedBytes();
}
