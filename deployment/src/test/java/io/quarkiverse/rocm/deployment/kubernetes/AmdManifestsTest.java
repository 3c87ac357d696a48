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
 * The default plan, an application that runs its llama-server on an AMD GPU: for every target, one GPU in the
 * container's limits, the models claim mounted once, the device files' group, a startup probe that waits for a load,
 * and manifests an API server accepts.
 */
class AmdManifestsTest {

    @RegisterExtension
    static final QuarkusProdModeTest app = Manifests.build("amd-app")
            .overrideConfigKey("quarkus.rocm.model.path", "/models/qwen.gguf");

    @AfterAll
    static void built() {
        Manifests.built();
    }

    @ProdBuildResults
    ProdModeTestResults results;

    @Test
    void everyTargetGetsTheGpuTheModelsAndTheGroupOnce() throws IOException {
        for (String target : Manifests.TARGETS) {
            List<JsonNode> objects = Manifests.valid(results.getBuildDir(), target);
            JsonNode pod = Manifests.appPod(objects, target, "amd-app");
            JsonNode container = pod.at("/containers/0");
            assertThat(container.at("/resources/limits/amd.com~1gpu").asText()).as(target).isEqualTo("1");
            assertThat(container.at("/resources/requests").isMissingNode()).as(target).isTrue();
            List<String> mounts = new ArrayList<>();
            container.path("volumeMounts").forEach(m -> mounts.add(m.path("name").asText() + " "
                    + m.path("mountPath").asText() + (m.path("readOnly").asBoolean() ? " ro" : "")));
            assertThat(mounts).as(target).containsExactly("rocm-models /models ro");
            List<String> volumes = new ArrayList<>();
            pod.path("volumes").forEach(v -> volumes.add(v.path("name").asText() + " "
                    + v.at("/persistentVolumeClaim/claimName").asText()));
            assertThat(volumes).as(target).containsExactly("rocm-models models");
            assertThat(pod.at("/securityContext/supplementalGroups").toString()).as(target).isEqualTo("[44]");
            if (!"knative".equals(target)) {
                // Knative has no startup probe: its revision is not routed to before it is ready
                JsonNode startup = container.path("startupProbe");
                assertThat(startup.at("/httpGet/path").asText()).isEqualTo("/q/health/started");
                assertThat(startup.path("periodSeconds").asInt() * startup.path("failureThreshold").asInt())
                        .as(target + ": seconds the startup probe allows (model-load-time)").isEqualTo(15 * 60);
            }
        }
    }
}
