package io.quarkiverse.rocm.deployment.scheduling;

import static io.quarkiverse.rocm.deployment.scheduling.SchedulingModels.reply;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.quarkus.test.QuarkusUnitTest;

/**
 * {@code memory-budget}: the GGUF estimate plans the first load (about 513 MiB for a tiny model: its weights, KV
 * cache and the 512 MiB headroom, so two do not fit in 600 MiB); what the server really used (its resident memory, a
 * CPU server) plans the next one, so the second model then fits beside the first.
 */
public class MemoryBudgetTest {

    @RegisterExtension
    static final QuarkusUnitTest app = SchedulingModels.app("alpha", "bravo")
            .overrideConfigKey("quarkus.rocm.alpha.context-size", "512")
            .overrideConfigKey("quarkus.rocm.bravo.context-size", "512")
            .overrideConfigKey("quarkus.rocm.memory-budget", "600M");

    @Inject
    ModelServers servers;

    @Test
    void theMeasuredMemoryPlansTheNextLoad() {
        long planned = servers.plannedBytes("alpha");
        assertThat(planned).isBetween(512L << 20, 600L << 20);
        assertThat(Api.state("alpha")).isEqualTo("loaded");
        assertThat(Api.state("bravo")).as("planned 2 x 513 MiB: no room at the start").isEqualTo("unloaded");
        long measured = servers.measuredBytes("alpha");
        assertThat(measured).as("alpha's resident memory, measured once loaded").isPositive().isLessThan(planned);

        assertThat(Api.chat("bravo")).isEqualTo(reply("bravo"));
        assertThat(Api.state("alpha")).as("measured + planned fit: alpha stays").isEqualTo("loaded");
        assertThat(Api.state("bravo")).isEqualTo("loaded");
        assertThat(SchedulingModels.running()).containsExactly("alpha", "bravo");
    }
}
