package io.quarkiverse.rocm.deployment.kubernetes;

import java.util.List;

import io.dekorate.kubernetes.decorator.NamedResourceDecorator;
import io.fabric8.knative.serving.v1.RevisionSpecFluent;
import io.fabric8.kubernetes.api.model.ObjectMeta;

/**
 * {@link AppPodDecorator} for a Knative Service, whose revision template embeds the pod spec in a type of its own.
 * Knative accepts the models claim and the supplemental groups only with its {@code kubernetes.podspec-persistent-
 * volume-claim} and {@code kubernetes.podspec-securitycontext} features enabled. Idempotent.
 */
final class AppRevisionDecorator extends NamedResourceDecorator<RevisionSpecFluent<?>> {

    private final KubernetesPlan plan;

    AppRevisionDecorator(KubernetesPlan plan, String resource) {
        super(ANY, resource);
        this.plan = plan;
    }

    @Override
    public void andThenVisit(RevisionSpecFluent<?> revision, ObjectMeta meta) {
        PodParts.modelsVolume(plan).ifPresent(v -> PodParts.addVolumes(revision.buildVolumes(), List.of(v),
                revision::addToVolumes));
        if (!plan.podGroups().isEmpty()) {
            revision.withSecurityContext(PodParts.withGroups(revision.getSecurityContext(), plan.podGroups()));
        }
    }
}
