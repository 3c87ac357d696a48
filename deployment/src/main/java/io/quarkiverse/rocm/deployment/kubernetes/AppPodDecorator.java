package io.quarkiverse.rocm.deployment.kubernetes;

import io.dekorate.kubernetes.decorator.NamedResourceDecorator;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpecFluent;

/**
 * The pod of the application's resource (a Deployment's, StatefulSet's or DeploymentConfig's template): the models
 * volume {@link AppContainerDecorator} mounts and the groups of the AMD device files. Idempotent.
 */
final class AppPodDecorator extends NamedResourceDecorator<PodSpecFluent<?>> {

    private final KubernetesPlan plan;

    AppPodDecorator(KubernetesPlan plan, String resource) {
        super(ANY, resource);
        this.plan = plan;
    }

    @Override
    public void andThenVisit(PodSpecFluent<?> pod, ObjectMeta meta) {
        PodParts.modelsVolume(plan).ifPresent(v -> PodParts.addVolumes(pod.buildVolumes(), java.util.List.of(v),
                pod::addToVolumes));
        if (!plan.podGroups().isEmpty()) {
            pod.withSecurityContext(PodParts.withGroups(pod.buildSecurityContext(), plan.podGroups()));
        }
    }
}
