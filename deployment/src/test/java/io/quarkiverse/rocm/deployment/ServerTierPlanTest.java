package io.quarkiverse.rocm.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import io.quarkiverse.rocm.deployment.kubernetes.ServerTierPlan;
import io.quarkus.runtime.configuration.ConfigurationException;

/** From {@code quarkus.rocm.kubernetes.server-tier.*} and the pooled model's own properties to its llama-servers. */
class ServerTierPlanTest {

    record Model(String modelPath, int replicas, Optional<String> name, Optional<List<String>> args)
            implements
                RocmBuildTimeConfig.TierModel {
    }

    record Tier(Optional<String> image, int gpus, Optional<String> gpuResource, int port, Optional<String> apiKeySecret,
            Map<String, RocmBuildTimeConfig.TierModel> models) implements RocmBuildTimeConfig.ServerTier {
    }

    record Kubernetes(String gpuResource, Tier serverTier) implements RocmBuildTimeConfig.Kubernetes {
        public boolean enabled() {
            return true;
        }

        public OptionalInt gpus() {
            return OptionalInt.of(0);
        }

        public String modelsClaim() {
            return "models";
        }

        public String modelsPath() {
            return "/models";
        }

        public Duration modelLoadTime() {
            return Duration.ofMinutes(5);
        }

        public List<Long> supplementalGroups() {
            return List.of(44L);
        }
    }

    static Kubernetes config(String model, Model m, int gpus, String resource) {
        return new Kubernetes(resource, new Tier(Optional.empty(), gpus, Optional.empty(), 8080, Optional.empty(),
                Map.of(model, m)));
    }

    static Model model(String path, int replicas) {
        return new Model(path, replicas, Optional.empty(), Optional.empty());
    }

    static List<ServerTierPlan> plan(Kubernetes k, Map<String, String> properties) {
        return KubernetesPlans.serverTier(k, "front", key -> Optional.ofNullable(properties.get(key)));
    }

    @Test
    void theDefaultModelIsNamedDefaultAndReadsItsOwnProperties() {
        List<ServerTierPlan> plans = plan(config("default", model("/models/a.gguf", 1), 1, "nvidia.com/gpu"),
                Map.of("quarkus.rocm.urls", "http://llama-default-0.llama-default:8080",
                        "quarkus.rocm.embeddings", "true", "quarkus.rocm.kv-unified", "true",
                        "quarkus.rocm.gpu-layers", "all"));
        ServerTierPlan p = plans.get(0);
        assertThat(p.image()).isEqualTo("ghcr.io/ggml-org/llama.cpp:server-cuda");
        assertThat(p.arguments()).containsSubsequence("--alias", "default", "--ctx-size", "4096", "--parallel", "1",
                "--kv-unified", "--n-gpu-layers", "all", "--embeddings");
        assertThat(p.app().startupPeriodSeconds() * p.app().startupFailureThreshold()).isEqualTo(300);
        assertThat(p.app().podGroups()).as("NVIDIA: no AMD group").isEmpty();
    }

    @Test
    void aQuotedModelNameIsReadAndItsResourcesGetADnsName() {
        ServerTierPlan p = plan(config("Qwen.Coder", model("/models/q.gguf", 1), 0, "amd.com/gpu"),
                Map.of("quarkus.rocm.\"Qwen.Coder\".urls", "http://llama-qwen-coder-0.llama-qwen-coder:8080")).get(0);
        assertThat(p.name()).isEqualTo("llama-qwen-coder");
        assertThat(p.image()).as("no GPU: the CPU image").isEqualTo("ghcr.io/ggml-org/llama.cpp:server");
    }

    @Test
    void missingUrlsNameTheLineToWrite() {
        assertThatThrownBy(() -> plan(config("coder", model("/models/c.gguf", 2), 1, "amd.com/gpu"), Map.of()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining(
                        "quarkus.rocm.kubernetes.server-tier.coder.model-path generates 2 llama-servers for the model"
                                + " 'coder', which the application reaches through quarkus.rocm.coder.urls, which is not"
                                + " set: set quarkus.rocm.coder.urls=http://llama-coder-0.llama-coder:8080,"
                                + "http://llama-coder-1.llama-coder:8080");
    }

    @Test
    void urlsOfTheWrongPortOrTooFewAreRefused() {
        Kubernetes k = config("coder", model("/models/c.gguf", 2), 1, "amd.com/gpu");
        assertThatThrownBy(() -> plan(k, Map.of("quarkus.rocm.coder.urls",
                "http://llama-coder-0.llama-coder:8081,http://llama-coder-1.llama-coder:8080")))
                .hasMessageContaining("is not the server tier");
        assertThatThrownBy(() -> plan(k, Map.of("quarkus.rocm.coder.urls", "http://llama-coder-0.llama-coder:8080")))
                .hasMessageContaining("is not the server tier");
    }

    @Test
    void badValuesAreNamedByTheirProperty() {
        assertThatThrownBy(() -> plan(config("coder", model("/srv/c.gguf", 1), 1, "amd.com/gpu"), Map.of()))
                .hasMessageContaining("quarkus.rocm.kubernetes.server-tier.coder.model-path=/srv/c.gguf is not inside"
                        + " the models volume");
        assertThatThrownBy(() -> plan(config("coder", model("/models/c.gguf", 0), 1, "amd.com/gpu"), Map.of()))
                .hasMessageContaining("quarkus.rocm.kubernetes.server-tier.coder.replicas=0 must be at least 1");
        assertThatThrownBy(() -> plan(config("coder", new Model("/models/c.gguf", 1, Optional.of("Llama_1"),
                Optional.empty()), 1, "amd.com/gpu"), Map.of()))
                .hasMessageContaining("quarkus.rocm.kubernetes.server-tier.coder.name=Llama_1 is not a StatefulSet name");
        assertThatThrownBy(() -> plan(config("coder", model("/models/c.gguf", 1), 1, "amd.com/gpu"),
                Map.of("quarkus.rocm.coder.model.path", "/models/c.gguf")))
                .hasMessageContaining("quarkus.rocm.kubernetes.server-tier.coder.model-path and"
                        + " quarkus.rocm.coder.model.path are both set");
        assertThatThrownBy(() -> plan(config("coder", model("/models/c.gguf", 1), 1, "gpu"), Map.of()))
                .hasMessageContaining("quarkus.rocm.kubernetes.server-tier.gpu-resource=gpu is not an extended resource");
    }
}
