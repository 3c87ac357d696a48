package io.quarkiverse.rocm.runtime.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.quarkiverse.rocm.runtime.TestSupport;
import io.quarkus.runtime.configuration.ConfigurationException;

/** Speculative decoding's arguments, as the installed llama-server (b11669) takes them, and their refusals. */
class SpeculationTest {

    @Test
    void aDraftModelIsLoadedBesideTheModelAndPlannedWithIt() throws Exception {
        String tiny = TestSupport.tinyModel().toString();
        LocalSpec plain = TestSupport.tinySpec();
        LocalSpec drafted = TestSupport.tinySpec("quarkus.rocm.draft.model.path", tiny, "quarkus.rocm.draft.max", "4",
                "quarkus.rocm.draft.p-min", "0.5");
        assertThat(String.join(" ", drafted.arguments())).contains("--spec-draft-model " + tiny
                + " --spec-type draft-simple --spec-draft-n-max 4 --spec-draft-p-min 0.5");
        assertThat(drafted.plannedBytes()).as("the draft's weights and KV cache are planned too")
                .isGreaterThan(plain.plannedBytes() + java.nio.file.Files.size(TestSupport.tinyModel()) - 1);
    }

    @Test
    void aDraftFreeMethodNeedsNoDraftModel() {
        assertThat(String.join(" ", TestSupport.tinySpec("quarkus.rocm.speculative", "ngram-simple").arguments()))
                .contains("--spec-type ngram-simple").doesNotContain("--spec-draft-model");
        assertThat(TestSupport.tinySpec().arguments()).noneMatch(a -> a.startsWith("--spec"));
    }

    @Test
    void badSpeculationIsRefusedNamingTheProperty() {
        assertThatThrownBy(() -> TestSupport.tinySpec("quarkus.rocm.speculative", "banana"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("quarkus.rocm.speculative=banana is not a speculative method")
                .hasMessageContaining("ngram-simple, ngram-map-k");
        assertThatThrownBy(() -> TestSupport.tinySpec("quarkus.rocm.speculative", "draft-simple"))
                .hasMessageContaining("needs a draft model: set quarkus.rocm.draft.model.path");
        assertThatThrownBy(() -> TestSupport.tinySpec("quarkus.rocm.draft.max", "4"))
                .hasMessageContaining("quarkus.rocm.draft.model.path is not: set the draft model's GGUF");
        assertThatThrownBy(() -> TestSupport.tinySpec("quarkus.rocm.draft.model.path", "/nonexistent/draft.gguf"))
                .hasMessageContaining("quarkus.rocm.draft.model.path=/nonexistent/draft.gguf: no such file");
    }
}
