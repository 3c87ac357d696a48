package io.quarkiverse.rocm.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import io.quarkiverse.rocm.deployment.kubernetes.KubernetesPlan;
import io.quarkus.runtime.configuration.ConfigurationException;

/** From {@code quarkus.rocm.kubernetes.*} to what the application's pods get. */
class RocmKubernetesPlanTest {

    record Config(boolean enabled, String gpuResource, OptionalInt gpus, String modelsClaim, String modelsPath,
            Duration modelLoadTime, List<Long> supplementalGroups) implements RocmBuildTimeConfig.Kubernetes {

        @Override
        public RocmBuildTimeConfig.ServerTier serverTier() {
            throw new UnsupportedOperationException("the server tier's plans are ServerTierPlanTest's");
        }
    }

    static Config defaults() {
        return new Config(true, "amd.com/gpu", OptionalInt.empty(), "models", "/models", Duration.ofMinutes(15),
                List.of(44L));
    }

    @Test
    void oneAmdGpuTheModelsClaimAndFifteenMinutesToLoadByDefault() {
        KubernetesPlan plan = KubernetesPlans.app(defaults(), true);
        assertThat(plan.gpus()).isEqualTo(1);
        assertThat(plan.gpuResource()).isEqualTo("amd.com/gpu");
        assertThat(plan.modelsClaim()).contains("models");
        assertThat(plan.startupPeriodSeconds() * plan.startupFailureThreshold()).isEqualTo(900);
    }

    @Test
    void remoteModelsOnlyMeanNoGpuAndNoVolume() {
        KubernetesPlan plan = KubernetesPlans.app(defaults(), false);
        assertThat(plan.gpus()).isZero();
        assertThat(plan.modelsClaim()).isEmpty();
    }

    @Test
    void nvidiaIsSelectableAndTheLoadTimeRoundsUp() {
        Config c = new Config(true, "nvidia.com/gpu", OptionalInt.of(4), "weights", "/w", Duration.ofSeconds(95),
                List.of());
        KubernetesPlan plan = KubernetesPlans.app(c, true);
        assertThat(plan.gpus()).isEqualTo(4);
        assertThat(plan.gpuResource()).isEqualTo("nvidia.com/gpu");
        assertThat(plan.startupFailureThreshold()).isEqualTo(10);
    }

    @Test
    void badValuesAreNamed() {
        Config negative = new Config(true, "amd.com/gpu", OptionalInt.of(-1), "models", "/models",
                Duration.ofMinutes(1), List.of());
        assertThatThrownBy(() -> KubernetesPlans.app(negative, true)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("quarkus.rocm.kubernetes.gpus=-1");
        Config resource = new Config(true, "gpu", OptionalInt.empty(), "models", "/models", Duration.ofMinutes(1),
                List.of());
        assertThatThrownBy(() -> KubernetesPlans.app(resource, true))
                .hasMessageContaining("quarkus.rocm.kubernetes.gpu-resource=gpu is not an extended resource name");
        Config off = new Config(false, "amd.com/gpu", OptionalInt.empty(), "models", "/models", Duration.ofMinutes(1),
                List.of());
        assertThat(KubernetesPlans.app(off, true)).isNull();
    }
}
