package io.quarkiverse.rocm.runtime.config;

import java.nio.file.Path;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.WithDefault;

/** GPU selection, integrated-GPU masking and the VRAM preflight. */
public interface GpuConfig {

    /**
     * The GPU to run on: its PCI address ({@code 0000:03:00.0}), its stable unique id (KFD {@code unique_id}), its
     * DRM card name ({@code card1}), or {@code auto} for the discrete GPU with the most VRAM. Ignored on machines
     * without an AMD GPU.
     */
    @WithDefault("auto")
    String device();

    /**
     * Hide integrated AMD GPUs from ROCm. An iGPU reports system RAM as free VRAM; llama-server then splits the
     * model onto it and crashes. The chosen GPU is made the only visible one through {@code ROCR_VISIBLE_DEVICES}
     * with its stable unique id, which does not depend on enumeration order.
     */
    @WithDefault("true")
    boolean maskIntegrated();

    /**
     * What to do when the model and its KV cache do not fit the chosen GPU's free VRAM (estimated from the GGUF
     * header before anything is loaded): {@code warn}, {@code fail} or {@code off}.
     */
    @WithDefault("warn")
    Preflight preflight();

    /**
     * VRAM kept free for the compute buffers and other programs when checking that a model fits.
     */
    @WithDefault("512M")
    MemorySize headroom();

    /**
     * The sysfs root to read GPUs from (tests point it at a fake tree).
     */
    @WithDefault("/sys")
    Path sysfsRoot();

    /**
     * The value of {@code HSA_OVERRIDE_GFX_VERSION} for GPUs that ROCm does not support officially (for example
     * {@code 10.3.0} for RDNA2 cards). Unset: not passed.
     */
    Optional<String> hsaOverrideGfxVersion();

    /** What the VRAM preflight does. */
    enum Preflight {
        /** No check. */
        OFF,
        /** Log a warning. */
        WARN,
        /** Refuse to start. */
        FAIL
    }
}
