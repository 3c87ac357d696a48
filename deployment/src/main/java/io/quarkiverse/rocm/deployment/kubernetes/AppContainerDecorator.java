package io.quarkiverse.rocm.deployment.kubernetes;

import java.util.List;
import java.util.Set;

import io.dekorate.kubernetes.decorator.AddLivenessProbeDecorator;
import io.dekorate.kubernetes.decorator.AddReadinessProbeDecorator;
import io.dekorate.kubernetes.decorator.AddStartupProbeDecorator;
import io.dekorate.kubernetes.decorator.ApplicationContainerDecorator;
import io.dekorate.kubernetes.decorator.Decorator;
import io.dekorate.kubernetes.decorator.ResourceProvidingDecorator;
import io.fabric8.kubernetes.api.model.ContainerFluent;
import io.fabric8.kubernetes.api.model.EnvVar;

/**
 * The application's container, in the resource {@code quarkus-kubernetes} generates for one target: the GPUs in its
 * limits, the models volume mounted, a startup probe that allows a model load ({@code periodSeconds} x
 * {@code failureThreshold}), and the variables that hand it the server tier's key. Idempotent (see {@link PodParts}).
 */
final class AppContainerDecorator extends ApplicationContainerDecorator<ContainerFluent<?>> {

    private final KubernetesPlan plan;
    private final Set<String> containerNames;
    private final List<EnvVar> env;

    /**
     * @param resource the application's resource (its Deployment, StatefulSet or Knative Service)
     * @param containerNames the application container's names: the resource's, and the one
     *        {@code quarkus.<target>.container-name} gives it (init containers and sidecars get nothing)
     */
    AppContainerDecorator(KubernetesPlan plan, String resource, Set<String> containerNames, List<EnvVar> env) {
        super(resource, ANY);
        this.plan = plan;
        this.containerNames = Set.copyOf(containerNames);
        this.env = List.copyOf(env);
    }

    @Override
    protected boolean isApplicable(ContainerFluent<?> container) {
        return containerNames.contains(container.getName());
    }

    @Override
    public void andThenVisit(ContainerFluent<?> container) {
        PodParts.limit(container, plan.gpuResource(), plan.gpus());
        PodParts.modelsMount(plan).ifPresent(m -> PodParts.addMount(container, m));
        env.forEach(e -> PodParts.addEnv(container, e));
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
