package io.quarkiverse.rocm.deployment.kubernetes;

import java.util.List;
import java.util.Optional;

/**
 * What the generated manifests get for the llama-servers this application runs, decided from the build-time
 * configuration (plain values: this class never touches Dekorate, so the build step that makes it runs without
 * quarkus-kubernetes).
 *
 * @param gpus GPUs per pod, 0 for none (an application whose models are all remote)
 * @param gpuResource the device plugin's extended resource ({@code amd.com/gpu}, {@code nvidia.com/gpu})
 * @param modelsClaim the PersistentVolumeClaim of the models, when one is mounted
 * @param modelsPath where it is mounted
 * @param startupPeriodSeconds how often the startup probe asks
 * @param startupFailureThreshold how many failed asks it allows: together the longest model load
 * @param supplementalGroups groups of the pod, for the AMD device files
 */
public record KubernetesPlan(int gpus, String gpuResource, Optional<String> modelsClaim, String modelsPath,
        int startupPeriodSeconds, int startupFailureThreshold, List<Long> supplementalGroups) {

    static final String MODELS_VOLUME = "rocm-models";
    static final String KFD_VOLUME = "rocm-dev-kfd";
    static final String DRI_VOLUME = "rocm-dev-dri";

    /** An AMD GPU pod: ROCm needs the KFD and DRI device files. */
    boolean amd() {
        return gpus > 0 && gpuResource.startsWith("amd.com/");
    }
}
