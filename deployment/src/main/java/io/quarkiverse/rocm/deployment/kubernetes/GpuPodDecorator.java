package io.quarkiverse.rocm.deployment.kubernetes;

import io.dekorate.kubernetes.decorator.Decorator;
import io.dekorate.kubernetes.decorator.NamedResourceDecorator;
import io.dekorate.kubernetes.decorator.ResourceProvidingDecorator;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpecFluent;

/**
 * The pod of the application container {@link GpuContainerDecorator} prepares: the volumes it mounts (the models'
 * PersistentVolumeClaim, read-only; for AMD the host's {@code /dev/kfd} and {@code /dev/dri}) and the supplemental
 * groups that own those device files.
 */
final class GpuPodDecorator extends NamedResourceDecorator<PodSpecFluent<?>> {

    private final KubernetesPlan plan;

    GpuPodDecorator(KubernetesPlan plan) {
        this.plan = plan;
    }

    @Override
    public void andThenVisit(PodSpecFluent<?> pod, ObjectMeta meta) {
        plan.modelsClaim().ifPresent(claim -> pod.addNewVolume().withName(KubernetesPlan.MODELS_VOLUME)
                .withNewPersistentVolumeClaim().withClaimName(claim).withReadOnly(true).endPersistentVolumeClaim()
                .endVolume());
        if (plan.amd()) {
            pod.addNewVolume().withName(KubernetesPlan.KFD_VOLUME).withNewHostPath().withPath("/dev/kfd")
                    .withType("CharDevice").endHostPath().endVolume();
            pod.addNewVolume().withName(KubernetesPlan.DRI_VOLUME).withNewHostPath().withPath("/dev/dri")
                    .withType("Directory").endHostPath().endVolume();
            if (!plan.supplementalGroups().isEmpty()) {
                pod.editOrNewSecurityContext().addAllToSupplementalGroups(plan.supplementalGroups())
                        .endSecurityContext();
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Class<? extends Decorator>[] after() {
        return new Class[] { ResourceProvidingDecorator.class };
    }
}
