package io.quarkiverse.rocm.deployment.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.ProdBuildResults;
import io.quarkus.test.ProdModeTestResults;
import io.quarkus.test.QuarkusProdModeTest;

/** Two NVIDIA GPUs and a claim of another name: limits, mount and volume once, no AMD group, for every target. */
class NvidiaManifestsTest {

    @RegisterExtension
    static final QuarkusProdModeTest app = Manifests.build("nvidia-app")
            .overrideConfigKey("quarkus.rocm.model.path", "/weights/qwen.gguf")
            .overrideConfigKey("quarkus.rocm.kubernetes.gpu-resource", "nvidia.com/gpu")
            .overrideConfigKey("quarkus.rocm.kubernetes.gpus", "2")
            .overrideConfigKey("quarkus.rocm.kubernetes.models-claim", "weights")
            .overrideConfigKey("quarkus.rocm.kubernetes.models-path", "/weights");

    @AfterAll
    static void built() {
        Manifests.built();
    }

    @ProdBuildResults
    ProdModeTestResults results;

    @Test
    void everyTargetGetsTwoNvidiaGpusAndTheWeights() throws IOException {
        for (String target : Manifests.TARGETS) {
            List<JsonNode> objects = Manifests.valid(results.getBuildDir(), target);
            JsonNode pod = Manifests.appPod(objects, target, "nvidia-app");
            JsonNode container = pod.at("/containers/0");
            assertThat(container.at("/resources/limits").toString()).as(target).isEqualTo("{\"nvidia.com/gpu\":\"2\"}");
            assertThat(container.at("/volumeMounts").size()).as(target).isEqualTo(1);
            assertThat(container.at("/volumeMounts/0/mountPath").asText()).as(target).isEqualTo("/weights");
            assertThat(pod.at("/volumes/0/persistentVolumeClaim/claimName").asText()).as(target).isEqualTo("weights");
            assertThat(pod.at("/securityContext").isMissingNode()).as(target + ": no AMD device group").isTrue();
        }
    }
}
