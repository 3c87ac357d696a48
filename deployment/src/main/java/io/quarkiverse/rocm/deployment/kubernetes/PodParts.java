package io.quarkiverse.rocm.deployment.kubernetes;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import io.fabric8.kubernetes.api.model.ContainerFluent;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;

/**
 * The parts a GPU pod gets, each added only when absent, so that a decorator applied twice to one resource (once per
 * Dekorate group, or by two targets sharing it) leaves it as once: a volume by its name, a mount by its path (the keys
 * by which an API server refuses duplicates), a group, a limit, an environment variable by its name.
 */
final class PodParts {

    private PodParts() {
    }

    /** The models volume: the claim, read-only. */
    static Optional<Volume> modelsVolume(KubernetesPlan plan) {
        return plan.modelsClaim().map(claim -> new VolumeBuilder().withName(KubernetesPlan.MODELS_VOLUME)
                .withNewPersistentVolumeClaim().withClaimName(claim).withReadOnly(true).endPersistentVolumeClaim()
                .build());
    }

    /** Its mount, read-only at the models path. */
    static Optional<VolumeMount> modelsMount(KubernetesPlan plan) {
        return plan.modelsClaim().map(claim -> new VolumeMountBuilder().withName(KubernetesPlan.MODELS_VOLUME)
                .withMountPath(plan.modelsPath()).withReadOnly(true).build());
    }

    /** Adds each of {@code wanted} whose name none of {@code present} has. */
    static void addVolumes(List<Volume> present, List<Volume> wanted, Consumer<Volume> add) {
        for (Volume v : wanted) {
            if (present.stream().noneMatch(p -> v.getName().equals(p.getName()))) {
                add.accept(v);
            }
        }
    }

    /** Adds the mount unless the container already mounts something at its path. */
    static void addMount(ContainerFluent<?> container, VolumeMount mount) {
        if (!container.hasMatchingVolumeMount(m -> mount.getMountPath().equals(m.getMountPath()))) {
            container.addToVolumeMounts(mount);
        }
    }

    /** Adds the variable unless the container already sets one of its name. */
    static void addEnv(ContainerFluent<?> container, EnvVar env) {
        if (!container.hasMatchingEnv(e -> env.getName().equals(e.getName()))) {
            container.addToEnv(env);
        }
    }

    /** Sets {@code count} of {@code resource} in the container's limits (extended resources go in limits only). */
    static void limit(ContainerFluent<?> container, String resource, int count) {
        if (count > 0) {
            container.editOrNewResources().addToLimits(resource, new Quantity(Integer.toString(count))).endResources();
        }
    }

    /** The security context with the groups it lacks added, or {@code existing} unchanged when none is missing. */
    static PodSecurityContext withGroups(PodSecurityContext existing, List<Long> groups) {
        List<Long> present = existing == null || existing.getSupplementalGroups() == null ? List.of()
                : existing.getSupplementalGroups();
        List<Long> missing = new ArrayList<>();
        for (Long g : groups) {
            if (!present.contains(g) && !missing.contains(g)) {
                missing.add(g);
            }
        }
        if (missing.isEmpty()) {
            return existing;
        }
        return (existing == null ? new PodSecurityContextBuilder() : new PodSecurityContextBuilder(existing))
                .addAllToSupplementalGroups(missing).build();
    }
}
