package io.quarkiverse.rocm.deployment.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusProdModeTest;

/** A model's urls that are not the tier's pods: the build fails and says the line to write. */
class ServerTierUrlsTest {

    @RegisterExtension
    static final QuarkusProdModeTest app = Manifests.build("front")
            .overrideConfigKey("quarkus.rocm.coder.urls", "http://llama-0.llama:8080,http://llama-1.llama:8080")
            .overrideConfigKey("quarkus.rocm.kubernetes.server-tier.coder.model-path", "/models/qwen-coder.gguf")
            .overrideConfigKey("quarkus.rocm.kubernetes.server-tier.coder.replicas", "3")
            .assertBuildException(e -> assertThat(Manifests.messages(e)).contains(
                    "quarkus.rocm.coder.urls=http://llama-0.llama:8080,http://llama-1.llama:8080 is not the server"
                            + " tier that quarkus.rocm.kubernetes.server-tier.coder.model-path generates (3 replicas"
                            + " of llama-coder on port 8080): set quarkus.rocm.coder.urls=http://llama-coder-0.llama-coder"
                            + ":8080,http://llama-coder-1.llama-coder:8080,http://llama-coder-2.llama-coder:8080"));

    @AfterAll
    static void built() {
        Manifests.built();
    }

    @Test
    void theBuildFailsNamingTheUrlsToSet() {
        // QuarkusProdModeTest fails this test unless the build threw, and asserted its exception above
    }
}
