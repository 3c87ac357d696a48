package io.quarkiverse.rocm.deployment.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.rocm.deployment.RootCause;
import io.quarkiverse.rocm.testing.hub.TestHub;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.test.QuarkusUnitTest;

/** {@code pull=never} with an empty cache: the start fails, naming the policy, the repository and the cache. */
public class HubPullNeverTest {

    static final TestHub HUB = HubApps.hub();
    static final Path CACHE = HubApps.cache("HubPullNeverTest");

    @RegisterExtension
    static final QuarkusUnitTest app = HubApps.app(HUB, CACHE)
            .overrideConfigKey("quarkus.rocm.model.hf-repo", HubApps.REPO + ":Q8_0")
            .overrideConfigKey("quarkus.rocm.pull", "never")
            .assertException(e -> {
                assertThat(RootCause.of(e, ConfigurationException.class))
                        .hasMessageContaining("quarkus.rocm.model.hf-repo=" + HubApps.REPO + ":Q8_0")
                        .hasMessageContaining("is not in the cache " + CACHE)
                        .hasMessageContaining("quarkus.rocm.pull=never forbids downloading it");
                assertThat(HUB.seen()).as("the hub is not asked").isEmpty(); // the same class loader: the same hub
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
