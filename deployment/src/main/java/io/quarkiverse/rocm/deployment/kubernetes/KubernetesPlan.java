package io.quarkiverse.rocm.deployment.kubernetes;

import java.util.List;
import java.util.Optional;

/**
 * What the application's pods get for the llama-servers it runs, decided from the build-time configuration (plain
 * values: this class never touches Dekorate, so the build step that makes it runs without quarkus-kubernetes).
 * <p>
 * No host device files are mounted: the GPU device plugins give a container the device nodes of the GPUs it was
 * allocated (AMD's {@code k8s-device-plugin} answers {@code Allocate} with {@code /dev/kfd} and the GPUs'
 * {@code /dev/dri/cardN} and {@code renderDN}), and a {@code hostPath} volume would expose every GPU of the node and
 * is refused by the Pod Security Standards' baseline profile. The groups that own those device files are still needed.
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

    /** An AMD GPU pod: ROCm's device files belong to the {@code video} and {@code render} groups. */
    boolean amd() {
        return gpus > 0 && gpuResource.startsWith("amd.com/");
    }

    /** The groups the pod needs: those of the AMD device files, or none. */
    public List<Long> podGroups() {
        return amd() ? supplementalGroups : List.of();
    }
}
