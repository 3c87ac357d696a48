package io.quarkiverse.rocm.deployment.kubernetes;

import io.dekorate.kubernetes.decorator.AddLivenessProbeDecorator;
import io.dekorate.kubernetes.decorator.AddReadinessProbeDecorator;
import io.dekorate.kubernetes.decorator.AddStartupProbeDecorator;
import io.dekorate.kubernetes.decorator.ApplicationContainerDecorator;
import io.dekorate.kubernetes.decorator.Decorator;
import io.dekorate.kubernetes.decorator.ResourceProvidingDecorator;
import io.fabric8.kubernetes.api.model.ContainerFluent;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * The application container of a pod that runs llama-servers: the GPUs in its limits (extended resources go in limits
 * only, as whole numbers), the models volume and, for AMD, {@code /dev/kfd} and {@code /dev/dri} mounted, and a
 * startup probe that allows a model load ({@code periodSeconds} x {@code failureThreshold}).
 */
final class GpuContainerDecorator extends ApplicationContainerDecorator<ContainerFluent<?>> {

    private final KubernetesPlan plan;

    GpuContainerDecorator(KubernetesPlan plan) {
        this.plan = plan;
    }

    @Override
    public void andThenVisit(ContainerFluent<?> container) {
        if (plan.gpus() > 0) {
            container.editOrNewResources().addToLimits(plan.gpuResource(), new Quantity(Integer.toString(plan.gpus())))
                    .endResources();
        }
        plan.modelsClaim().ifPresent(claim -> container.addNewVolumeMount().withName(KubernetesPlan.MODELS_VOLUME)
                .withMountPath(plan.modelsPath()).withReadOnly(true).endVolumeMount());
        if (plan.amd()) {
            container.addNewVolumeMount().withName(KubernetesPlan.KFD_VOLUME).withMountPath("/dev/kfd").endVolumeMount();
            container.addNewVolumeMount().withName(KubernetesPlan.DRI_VOLUME).withMountPath("/dev/dri").endVolumeMount();
        }
        if (container.hasStartupProbe()) {
            container.editStartupProbe().withPeriodSeconds(plan.startupPeriodSeconds())
                    .withFailureThreshold(plan.startupFailureThreshold()).endStartupProbe();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Class<? extends Decorator>[] after() {
        return new Class[] { ResourceProvidingDecorator.class, AddStartupProbeDecorator.class,
                AddReadinessProbeDecorator.class, AddLivenessProbeDecorator.class };
    }
}
