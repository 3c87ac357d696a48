package io.quarkiverse.rocm.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.rocm.runtime.langchain4j.RocmChatModel;
import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkus.test.QuarkusUnitTest;

/** A context above the one the model was trained for starts, with a warning that gives both numbers. */
public class ContextAboveTrainedTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(TestModels.class))
            .overrideConfigKey("quarkus.rocm.model.path",
                    TestModels.write("trained-1024.gguf", TinyModel.builder().contextLength(1024).build()).toString())
            .overrideConfigKey("quarkus.rocm.threads", "1")
            .overrideConfigKey("quarkus.rocm.context-size", "2048")
            .setLogRecordPredicate(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
            .assertLogRecords(records -> assertThat(records).anySatisfy(r -> assertThat(Logs.message(r))
                    .contains("quarkus.rocm.context-size=2048 is more than the 1024 tokens model 'default' was trained"
                            + " for")));

    @Inject
    RocmChatModel model;

    @Test
    void startsWithTheContextAskedFor() {
        assertThat(model.client().server().spec().contextSize()).isEqualTo(2048);
        assertThat(model.chat("Hi")).isEqualTo(TinyModel.DEFAULT_REPLY);
    }
}
