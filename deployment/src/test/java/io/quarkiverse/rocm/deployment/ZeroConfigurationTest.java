package io.quarkiverse.rocm.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.rocm.runtime.langchain4j.RocmChatModel;
import io.quarkiverse.rocm.runtime.spec.LocalSpec;
import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkus.test.QuarkusUnitTest;

/** No model configured in test mode: the built-in tiny model is served, with a warning naming the property. */
public class ZeroConfigurationTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withEmptyApplication()
            .setLogRecordPredicate(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
            .assertLogRecords(records -> assertThat(records).anySatisfy(r -> assertThat(r.getMessage())
                    .contains("No model configured (quarkus.rocm.model.path)")
                    .contains("Set quarkus.rocm.model.path to a GGUF model")));

    @Inject
    RocmChatModel model;

    @Test
    void theTinyModelAnswers() {
        assertThat(model.chat("Hi")).isEqualTo(TinyModel.DEFAULT_REPLY);
        LocalSpec spec = (LocalSpec) model.client().server().spec();
        assertThat(spec.model().path().toString()).contains("target", "quarkus-rocm");
        assertThat(spec.arguments()).containsSubsequence("-t", "1");
    }
}
