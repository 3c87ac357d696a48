package io.quarkiverse.rocm.deployment.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * A model that cannot fit the memory budget even alone: the start warns with its estimate and the budget, and its
 * requests get a 503 that says the same instead of a load that cannot succeed.
 */
public class ModelTooLargeTest {

    @RegisterExtension
    static final QuarkusUnitTest app = SchedulingModels.app("alpha")
            .overrideConfigKey("quarkus.rocm.memory-budget", "100M")
            .setLogRecordPredicate(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
            .assertLogRecords(records -> assertThat(records).anySatisfy(r -> assertThat(r.getMessage())
                    .contains("needs about").contains("but the memory budget is 100 MiB")));

    @Test
    void itsRequestsAreRefusedWithTheEstimateAndTheBudget() {
        assertThat(Api.chat("alpha")).startsWith("503: ").contains("model 'alpha' needs about")
                .contains("but the memory budget is 100 MiB (quarkus.rocm.memory-budget)");
        assertThat(Api.state("alpha")).isEqualTo("unloaded");
        assertThat(SchedulingModels.running()).isEmpty();
    }
}
