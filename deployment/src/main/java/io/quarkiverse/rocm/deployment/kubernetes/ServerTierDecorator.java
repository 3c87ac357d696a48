package io.quarkiverse.rocm.deployment.kubernetes;

import java.util.List;

import io.dekorate.kubernetes.decorator.ResourceProvidingDecorator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesListBuilder;

/** Adds each pooled model's llama-server tier to a target's manifests, each object only when it is not there yet. */
final class ServerTierDecorator extends ResourceProvidingDecorator<KubernetesListBuilder> {

    private final List<ServerTierPlan> plans;

    ServerTierDecorator(List<ServerTierPlan> plans) {
        this.plans = List.copyOf(plans);
    }

    @Override
    public void visit(KubernetesListBuilder list) {
        for (ServerTierPlan plan : plans) {
            for (HasMetadata object : ServerTierResources.of(plan)) {
                if (!contains(list, object.getApiVersion(), object.getKind(), object.getMetadata().getName())) {
                    list.addToItems(object);
                }
            }
        }
    }
}
