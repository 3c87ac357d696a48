package io.quarkiverse.rocm.deployment.scheduling;

import static io.quarkiverse.rocm.deployment.scheduling.SchedulingModels.reply;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** A pinned model is never unloaded by policy: a model that would need its room gets a clear 503 instead. */
public class PinnedTest {

    @RegisterExtension
    static final QuarkusUnitTest app = SchedulingModels.app("alpha", "bravo")
            .overrideConfigKey("quarkus.rocm.alpha.pinned", "true")
            .overrideConfigKey("quarkus.rocm.alpha.keep-alive", "0s")
            .overrideConfigKey("quarkus.rocm.max-loaded", "1");

    @Test
    void thePinnedModelStaysAndTheOtherIsRefusedClearly() throws Exception {
        assertThat(Api.chat("alpha")).isEqualTo(reply("alpha"));
        Thread.sleep(300); // keep-alive 0s: a model that is not pinned would be unloaded by now
        assertThat(Api.state("alpha")).isEqualTo("loaded");
        assertThat(Api.chat("bravo")).startsWith("503: ")
                .contains("model 'bravo' cannot be loaded: quarkus.rocm.max-loaded=1 and the pinned models ['alpha']"
                        + " hold every place");
        assertThat(Api.state("alpha")).isEqualTo("loaded");
        assertThat(SchedulingModels.running()).containsExactly("alpha");
    }
}
