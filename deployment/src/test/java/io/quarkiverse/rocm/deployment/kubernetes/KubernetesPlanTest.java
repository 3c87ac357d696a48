package io.quarkiverse.rocm.deployment.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.fabric8.knative.serving.v1.RevisionSpecBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;

/**
 * The application's decorators on fabric8's own builders: what an AMD pod and an NVIDIA pod get, and that applying a
 * decorator again changes nothing (the manifests of whole builds are validated by KubernetesManifestsTest and the
 * integration tests' KubernetesManifestIT).
 */
class KubernetesPlanTest {

    static final KubernetesPlan AMD = new KubernetesPlan(2, "amd.com/gpu", Optional.of("models"), "/models", 10, 90,
            List.of(44L, 110L));
    static final KubernetesPlan NVIDIA = new KubernetesPlan(1, "nvidia.com/gpu", Optional.of("weights"), "/weights", 10,
            30, List.of(44L));

    static AppContainerDecorator container(KubernetesPlan plan) {
        return new AppContainerDecorator(plan, "app", Set.of("app"), List.of(new EnvVarBuilder()
                .withName("QUARKUS_ROCM_API_KEY").withNewValueFrom().withNewSecretKeyRef().withName("llama")
                .withKey("api-key").endSecretKeyRef().endValueFrom().build()));
    }

    @Test
    void anAmdContainerGetsItsGpusInLimitsTheModelsAndTheStartupBudgetOnce() {
        ContainerBuilder c = new ContainerBuilder().withName("app").withNewStartupProbe().withNewHttpGet()
                .withPath("/q/health/started").endHttpGet().withPeriodSeconds(5).withFailureThreshold(3)
                .endStartupProbe();
        container(AMD).andThenVisit(c);
        container(AMD).andThenVisit(c);
        var built = c.build();
        assertThat(built.getResources().getLimits()).containsOnly(
                org.assertj.core.api.Assertions.entry("amd.com/gpu", new Quantity("2")));
        assertThat(built.getResources().getRequests()).as("extended resources: limits only").isNullOrEmpty();
        assertThat(built.getVolumeMounts()).as("no host device files: the device plugin gives them")
                .extracting(VolumeMount::getName, VolumeMount::getMountPath, VolumeMount::getReadOnly)
                .containsExactly(tuple("rocm-models", "/models", true));
        assertThat(built.getEnv()).extracting(e -> e.getName()).containsExactly("QUARKUS_ROCM_API_KEY");
        assertThat(built.getStartupProbe().getPeriodSeconds()).isEqualTo(10);
        assertThat(built.getStartupProbe().getFailureThreshold()).isEqualTo(90);
        assertThat(built.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
    }

    @Test
    void anAmdPodGetsTheModelsVolumeAndTheDeviceGroupsOnceKeepingItsOwn() {
        PodSpecBuilder pod = new PodSpecBuilder().withNewSecurityContext().withSupplementalGroups(110L, 7L)
                .endSecurityContext();
        new AppPodDecorator(AMD, "app").andThenVisit(pod, new ObjectMeta());
        new AppPodDecorator(AMD, "app").andThenVisit(pod, new ObjectMeta());
        var spec = pod.build();
        assertThat(spec.getVolumes()).extracting(Volume::getName).containsExactly("rocm-models");
        assertThat(spec.getVolumes().get(0).getPersistentVolumeClaim().getClaimName()).isEqualTo("models");
        assertThat(spec.getVolumes().get(0).getPersistentVolumeClaim().getReadOnly()).isTrue();
        assertThat(spec.getVolumes().get(0).getHostPath()).isNull();
        assertThat(spec.getSecurityContext().getSupplementalGroups()).containsExactly(110L, 7L, 44L);
    }

    @Test
    void aKnativeRevisionGetsTheSameVolumeAndGroupsOnce() {
        RevisionSpecBuilder revision = new RevisionSpecBuilder();
        new AppRevisionDecorator(AMD, "app").andThenVisit(revision, new ObjectMeta());
        new AppRevisionDecorator(AMD, "app").andThenVisit(revision, new ObjectMeta());
        var spec = revision.build();
        assertThat(spec.getVolumes()).extracting(Volume::getName).containsExactly("rocm-models");
        assertThat(spec.getSecurityContext().getSupplementalGroups()).containsExactly(44L, 110L);
    }

    @Test
    void aMountTheApplicationAlreadyHasAtThatPathIsKept() {
        ContainerBuilder c = new ContainerBuilder().withName("app").addNewVolumeMount().withName("mine")
                .withMountPath("/models").endVolumeMount();
        container(AMD).andThenVisit(c);
        assertThat(c.build().getVolumeMounts()).extracting(VolumeMount::getName).containsExactly("mine");
    }

    @Test
    void onlyTheApplicationContainerIsDecorated() {
        AppContainerDecorator decorator = new AppContainerDecorator(AMD, "app", Set.of("app", "renamed"), List.of());
        assertThat(decorator.isApplicable(new ContainerBuilder().withName("renamed"))).isTrue();
        assertThat(decorator.isApplicable(new ContainerBuilder().withName("wait-for-db"))).isFalse();
    }

    @Test
    void anNvidiaContainerGetsItsGpuAndTheModelsButNoGroups() {
        ContainerBuilder c = new ContainerBuilder().withName("app");
        new AppContainerDecorator(NVIDIA, "app", Set.of("app"), List.of()).andThenVisit(c);
        var container = c.build();
        assertThat(container.getResources().getLimits()).containsOnlyKeys("nvidia.com/gpu")
                .containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(container.getVolumeMounts()).extracting(VolumeMount::getMountPath).containsExactly("/weights");
        assertThat(container.getStartupProbe()).as("none added where quarkus-kubernetes made none").isNull();
        PodSpecBuilder pod = new PodSpecBuilder();
        new AppPodDecorator(NVIDIA, "app").andThenVisit(pod, new ObjectMeta());
        assertThat(pod.build().getVolumes()).hasSize(1);
        assertThat(pod.build().getSecurityContext()).isNull();
    }

    @Test
    void anApplicationOfRemoteModelsGetsNoGpu() {
        KubernetesPlan front = new KubernetesPlan(0, "amd.com/gpu", Optional.empty(), "/models", 10, 90, List.of(44L));
        ContainerBuilder c = new ContainerBuilder().withName("app");
        new AppContainerDecorator(front, "app", Set.of("app"), List.of()).andThenVisit(c);
        assertThat(c.build().getResources()).isNull();
        assertThat(c.build().getVolumeMounts()).isEmpty();
        PodSpecBuilder pod = new PodSpecBuilder();
        new AppPodDecorator(front, "app").andThenVisit(pod, new ObjectMeta());
        assertThat(pod.build().getVolumes()).isEmpty();
        assertThat(pod.build().getSecurityContext()).isNull();
    }
}
