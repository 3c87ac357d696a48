package io.quarkiverse.rocm.deployment.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.ProdBuildResults;
import io.quarkus.test.ProdModeTestResults;
import io.quarkus.test.QuarkusProdModeTest;

/**
 * The remote-only plan with its llama-server tier generated: the application's pods get no GPU and the tier's key;
 * beside them, for every target, a StatefulSet of llama-servers on AMD GPUs whose pods are exactly the model's
 * {@code urls} behind a headless Service, and a NetworkPolicy that admits only the application's pods.
 */
class ServerTierManifestsTest {

    @RegisterExtension
    static final QuarkusProdModeTest app = Manifests.build("front")
            .overrideConfigKey("quarkus.rocm.coder.urls",
                    "http://llama-coder-0.llama-coder:8080,http://llama-coder-1.llama-coder.shop.svc.cluster.local:8080/")
            .overrideConfigKey("quarkus.rocm.coder.parallel", "4")
            .overrideConfigKey("quarkus.rocm.coder.context-size", "8192")
            .overrideConfigKey("quarkus.rocm.kubernetes.server-tier.coder.model-path", "/models/qwen-coder.gguf")
            .overrideConfigKey("quarkus.rocm.kubernetes.server-tier.coder.args", "--temp,0.2")
            .overrideConfigKey("quarkus.rocm.kubernetes.server-tier.api-key-secret", "llama-key");

    @AfterAll
    static void built() {
        Manifests.built();
    }

    @ProdBuildResults
    ProdModeTestResults results;

    @Test
    void theApplicationHasNoGpuAndReadsTheTiersKeyFromTheSecret() throws IOException {
        for (String target : Manifests.TARGETS) {
            JsonNode pod = Manifests.appPod(Manifests.valid(results.getBuildDir(), target), target, "front");
            JsonNode container = pod.at("/containers/0");
            assertThat(container.at("/resources/limits").isMissingNode()).as(target).isTrue();
            assertThat(pod.path("volumes").isMissingNode()).as(target).isTrue();
            List<String> env = new ArrayList<>();
            container.path("env").forEach(e -> env.add(e.path("name").asText() + " "
                    + e.at("/valueFrom/secretKeyRef/name").asText() + "/" + e.at("/valueFrom/secretKeyRef/key").asText()));
            assertThat(env).as(target).contains("QUARKUS_ROCM__CODER__API_KEY llama-key/api-key");
        }
    }

    @Test
    void everyTargetGetsTheTierOnceWithThePodsTheUrlsName() throws IOException {
        for (String target : Manifests.TARGETS) {
            List<JsonNode> objects = Manifests.valid(results.getBuildDir(), target);
            JsonNode set = Manifests.only(objects, "StatefulSet", "llama-coder");
            assertThat(set.at("/spec/replicas").asInt()).isEqualTo(2);
            assertThat(set.at("/spec/serviceName").asText()).isEqualTo("llama-coder");
            JsonNode pod = set.at("/spec/template/spec");
            JsonNode server = pod.at("/containers/0");
            assertThat(server.path("image").asText()).isEqualTo("ghcr.io/ggml-org/llama.cpp:server-rocm");
            List<String> args = new ArrayList<>();
            server.path("args").forEach(a -> args.add(a.asText()));
            assertThat(args).containsSubsequence("--model", "/models/qwen-coder.gguf", "--alias", "coder", "--host",
                    "0.0.0.0", "--port", "8080", "--ctx-size", "32768", "--parallel", "4", "--no-kv-unified",
                    "--api-key-file", "/etc/llama-server/api-key", "--temp", "0.2");
            assertThat(server.at("/resources/limits").toString()).isEqualTo("{\"amd.com/gpu\":\"1\"}");
            assertThat(server.at("/startupProbe/httpGet/path").asText()).isEqualTo("/health");
            assertThat(server.at("/startupProbe/periodSeconds").asInt()
                    * server.at("/startupProbe/failureThreshold").asInt()).isEqualTo(15 * 60);
            assertThat(server.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health");
            assertThat(pod.at("/securityContext/supplementalGroups").toString()).isEqualTo("[44]");
            List<String> volumes = new ArrayList<>();
            pod.path("volumes").forEach(v -> volumes.add(v.path("name").asText()));
            assertThat(volumes).containsExactly("rocm-models", "api-key");
            assertThat(pod.at("/volumes/1/secret/secretName").asText()).isEqualTo("llama-key");

            JsonNode service = Manifests.only(objects, "Service", "llama-coder");
            assertThat(service.at("/spec/clusterIP").asText()).isEqualTo("None");
            assertThat(service.at("/spec/selector")).isEqualTo(set.at("/spec/selector/matchLabels"));
            assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(8080);

            JsonNode policy = Manifests.only(objects, "NetworkPolicy", "llama-coder");
            assertThat(policy.at("/spec/podSelector/matchLabels")).isEqualTo(set.at("/spec/selector/matchLabels"));
            assertThat(policy.at("/spec/ingress/0/from/0/podSelector/matchLabels/app.kubernetes.io~1name").asText())
                    .as("only the application's pods").isEqualTo("front");
        }
    }
}
