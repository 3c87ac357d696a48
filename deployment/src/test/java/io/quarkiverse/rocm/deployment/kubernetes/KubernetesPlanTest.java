package io.quarkiverse.rocm.deployment.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeMount;

/**
 * The decorators on fabric8's own builders: what an AMD pod and an NVIDIA pod get (the manifests of a whole build
 * are asserted by the integration tests' KubernetesManifestIT).
 */
class KubernetesPlanTest {

    static final KubernetesPlan AMD = new KubernetesPlan(2, "amd.com/gpu", Optional.of("models"), "/models", 10, 90,
            List.of(44L, 110L));
    static final KubernetesPlan NVIDIA = new KubernetesPlan(1, "nvidia.com/gpu", Optional.of("weights"), "/weights", 10,
            30, List.of(44L));

    @Test
    void anAmdContainerGetsItsGpusInLimitsTheModelsAndTheDeviceFiles() {
        ContainerBuilder c = new ContainerBuilder().withName("app").withNewStartupProbe().withNewHttpGet()
                .withPath("/q/health/started").endHttpGet().withPeriodSeconds(5).withFailureThreshold(3)
                .endStartupProbe();
        new GpuContainerDecorator(AMD).andThenVisit(c);
        var container = c.build();
        assertThat(container.getResources().getLimits()).containsEntry("amd.com/gpu", new Quantity("2"));
        assertThat(container.getResources().getRequests()).as("extended resources: limits only").isNullOrEmpty();
        assertThat(container.getVolumeMounts()).extracting(VolumeMount::getName, VolumeMount::getMountPath,
                VolumeMount::getReadOnly).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("rocm-models", "/models", true),
                        org.assertj.core.groups.Tuple.tuple("rocm-dev-kfd", "/dev/kfd", null),
                        org.assertj.core.groups.Tuple.tuple("rocm-dev-dri", "/dev/dri", null));
        assertThat(container.getStartupProbe().getPeriodSeconds()).isEqualTo(10);
        assertThat(container.getStartupProbe().getFailureThreshold()).isEqualTo(90);
        assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");

        PodSpecBuilder pod = new PodSpecBuilder();
        new GpuPodDecorator(AMD).andThenVisit(pod, new ObjectMeta());
        var spec = pod.build();
        assertThat(spec.getVolumes()).hasSize(3);
        assertThat(spec.getVolumes().get(0).getPersistentVolumeClaim().getClaimName()).isEqualTo("models");
        assertThat(spec.getVolumes().get(0).getPersistentVolumeClaim().getReadOnly()).isTrue();
        assertThat(spec.getVolumes().get(1).getHostPath().getPath()).isEqualTo("/dev/kfd");
        assertThat(spec.getVolumes().get(1).getHostPath().getType()).isEqualTo("CharDevice");
        assertThat(spec.getVolumes().get(2).getHostPath().getPath()).isEqualTo("/dev/dri");
        assertThat(spec.getSecurityContext().getSupplementalGroups()).containsExactly(44L, 110L);
    }

    @Test
    void anNvidiaContainerGetsItsGpuAndTheModelsButNoAmdDevices() {
        ContainerBuilder c = new ContainerBuilder().withName("app");
        new GpuContainerDecorator(NVIDIA).andThenVisit(c);
        var container = c.build();
        assertThat(container.getResources().getLimits()).containsOnlyKeys("nvidia.com/gpu")
                .containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(container.getVolumeMounts()).extracting(VolumeMount::getMountPath).containsExactly("/weights");
        assertThat(container.getStartupProbe()).as("none added where quarkus-kubernetes made none").isNull();
        PodSpecBuilder pod = new PodSpecBuilder();
        new GpuPodDecorator(NVIDIA).andThenVisit(pod, new ObjectMeta());
        assertThat(pod.build().getVolumes()).hasSize(1);
        assertThat(pod.build().getSecurityContext()).isNull();
    }

    @Test
    void anApplicationOfRemoteModelsGetsNoGpu() {
        KubernetesPlan front = new KubernetesPlan(0, "amd.com/gpu", Optional.empty(), "/models", 10, 90, List.of(44L));
        ContainerBuilder c = new ContainerBuilder().withName("app");
        new GpuContainerDecorator(front).andThenVisit(c);
        assertThat(c.build().getResources()).isNull();
        assertThat(c.build().getVolumeMounts()).isEmpty();
        PodSpecBuilder pod = new PodSpecBuilder();
        new GpuPodDecorator(front).andThenVisit(pod, new ObjectMeta());
        assertThat(pod.build().getVolumes()).isEmpty();
    }
}
