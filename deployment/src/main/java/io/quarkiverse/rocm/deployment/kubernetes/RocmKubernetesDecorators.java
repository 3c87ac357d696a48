package io.quarkiverse.rocm.deployment.kubernetes;

import java.util.List;

/**
 * The Dekorate decorators of a {@link KubernetesPlan}, as the objects {@code DecoratorBuildItem} carries. Loaded only
 * when quarkus-kubernetes (and so Dekorate) is in the application.
 */
public final class RocmKubernetesDecorators {

    private RocmKubernetesDecorators() {
    }

    public static List<Object> of(KubernetesPlan plan) {
        return List.of(new GpuContainerDecorator(plan), new GpuPodDecorator(plan));
    }
}
