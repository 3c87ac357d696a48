package io.quarkiverse.rocm.deployment.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.rocm.deployment.LlamaServers;
import io.quarkiverse.rocm.deployment.RootCause;
import io.quarkiverse.rocm.runtime.process.LlamaServerException;
import io.quarkiverse.rocm.testing.hub.TestHub;
import io.quarkus.test.QuarkusUnitTest;

/** An eager start whose pull the hub refuses fails, with the hub's reason and what to do; nothing is left running. */
public class HubEagerRefusedTest {

    static final TestHub HUB = HubApps.hub().requireToken(HubApps.REPO, "hf_0123456789abcdefghijklmnopqrstuvwx");
    static final Path CACHE = HubApps.cache("HubEagerRefusedTest");

    @RegisterExtension
    static final QuarkusUnitTest app = HubApps.app(HUB, CACHE)
            .overrideConfigKey("quarkus.rocm.model.hf-repo", HubApps.REPO + ":Q8_0")
            .assertException(e -> {
                assertThat(RootCause.of(e, LlamaServerException.class))
                        .hasMessageContaining("Cannot pull model 'default' (quarkus.rocm.model.hf-repo=" + HubApps.REPO
                                + ":Q8_0)")
                        .hasMessageContaining("401 GatedRepo").hasMessageContaining("set quarkus.rocm.hf.token or HF_TOKEN");
                assertThat(LlamaServers.running()).as("nothing left running").isEmpty();
            });

    @AfterAll
    static void close() {
        HUB.close();
    }

    @Test
    void fails() {
        throw new AssertionError("the application must not start");
    }
}
