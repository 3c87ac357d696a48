package io.quarkiverse.rocm.deployment.kubernetes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;

/**
 * The objects of one pooled model's llama-server tier ({@link ServerTierPlan}): its StatefulSet, the headless Service
 * that gives each pod its stable name, and the NetworkPolicy that admits only the application's pods.
 */
public final class ServerTierResources {

    static final String COMPONENT = "llama-server";
    private static final String NAME_LABEL = "app.kubernetes.io/name";

    private ServerTierResources() {
    }

    /** The StatefulSet, the Service and the NetworkPolicy. */
    public static List<HasMetadata> of(ServerTierPlan plan) {
        return List.of(statefulSet(plan), service(plan), networkPolicy(plan));
    }

    static Map<String, String> selector(ServerTierPlan plan) {
        return Map.of(NAME_LABEL, plan.name(), "app.kubernetes.io/component", COMPONENT);
    }

    static Map<String, String> labels(ServerTierPlan plan) {
        return Map.of(NAME_LABEL, plan.name(), "app.kubernetes.io/component", COMPONENT, "app.kubernetes.io/part-of",
                plan.application(), "app.kubernetes.io/managed-by", "quarkus");
    }

    static HasMetadata statefulSet(ServerTierPlan plan) {
        KubernetesPlan pods = plan.app();
        List<Volume> volumes = new ArrayList<>();
        PodParts.modelsVolume(pods).ifPresent(volumes::add);
        plan.apiKeySecret().ifPresent(secret -> volumes.add(new VolumeBuilder().withName("api-key").withNewSecret()
                .withSecretName(secret).addNewItem().withKey(ServerTierPlan.API_KEY).withPath(ServerTierPlan.API_KEY)
                .endItem().endSecret().build()));
        return new StatefulSetBuilder().withNewMetadata().withName(plan.name()).withLabels(labels(plan)).endMetadata()
                .withNewSpec().withServiceName(plan.name()).withReplicas(plan.replicas())
                // every replica loads its model at once, not one after the other
                .withPodManagementPolicy("Parallel")
                .withNewSelector().withMatchLabels(selector(plan)).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels(plan)).endMetadata()
                .withNewSpec().withContainers(container(plan)).withVolumes(volumes)
                .withSecurityContext(pods.podGroups().isEmpty() ? null
                        : PodParts.withGroups(null, pods.podGroups()))
                .endSpec().endTemplate().endSpec().build();
    }

    private static Container container(ServerTierPlan plan) {
        KubernetesPlan pods = plan.app();
        ContainerBuilder c = new ContainerBuilder().withName(COMPONENT).withImage(plan.image())
                .withArgs(plan.arguments()).addNewPort().withName("http").withContainerPort(plan.port())
                .withProtocol("TCP").endPort()
                // llama-server's /health: 503 while the model loads, 200 once it serves
                .withStartupProbe(health(pods.startupPeriodSeconds(), pods.startupFailureThreshold()))
                .withReadinessProbe(health(5, 3)).withLivenessProbe(health(10, 6));
        PodParts.limit(c, pods.gpuResource(), pods.gpus());
        PodParts.modelsMount(pods).ifPresent(m -> PodParts.addMount(c, m));
        if (plan.apiKeySecret().isPresent()) {
            c.addNewVolumeMount().withName("api-key").withMountPath(ServerTierPlan.API_KEY_DIRECTORY).withReadOnly(true)
                    .endVolumeMount();
        }
        return c.build();
    }

    private static Probe health(int period, int failures) {
        return new ProbeBuilder().withNewHttpGet().withPath("/health").withPort(new IntOrString("http")).endHttpGet()
                .withPeriodSeconds(period).withTimeoutSeconds(5).withFailureThreshold(failures).build();
    }

    static HasMetadata service(ServerTierPlan plan) {
        return new ServiceBuilder().withNewMetadata().withName(plan.name()).withLabels(labels(plan)).endMetadata()
                .withNewSpec().withClusterIP("None").withSelector(selector(plan)).addNewPort().withName("http")
                .withPort(plan.port()).withTargetPort(new IntOrString("http")).withProtocol("TCP").endPort().endSpec()
                .build();
    }

    static HasMetadata networkPolicy(ServerTierPlan plan) {
        return new NetworkPolicyBuilder().withNewMetadata().withName(plan.name()).withLabels(labels(plan)).endMetadata()
                .withNewSpec().withNewPodSelector().withMatchLabels(selector(plan)).endPodSelector()
                .withPolicyTypes("Ingress").addNewIngress().addNewFrom().withNewPodSelector()
                .addToMatchLabels(NAME_LABEL, plan.application()).endPodSelector().endFrom().addNewPort()
                .withPort(new IntOrString(plan.port())).withProtocol("TCP").endPort().endIngress().endSpec().build();
    }
}
