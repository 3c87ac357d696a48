package io.quarkiverse.rocm.runtime.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkiverse.rocm.runtime.TestSupport;
import io.quarkiverse.rocm.runtime.scheduling.Limits;
import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkus.runtime.configuration.ConfigurationException;

/** {@code quarkus.rocm.models-dir}, and the scheduler's limits read from configuration. */
class ModelsDirTest {

    static Path dir() throws IOException {
        Path dir = Path.of("target", "test-models", "models-dir").toAbsolutePath();
        Files.createDirectories(dir.resolve("split"));
        TinyModel.builder().reply("I am alpha.").build().ensure(dir.resolve("alpha.gguf"));
        TinyModel.builder().reply("I am beta.").build().ensure(dir.resolve("beta.gguf"));
        TinyModel.defaults().ensure(dir.resolve("split/big-00001-of-00002.gguf"));
        TinyModel.defaults().ensure(dir.resolve("split/big-00002-of-00002.gguf"));
        Files.writeString(dir.resolve("README.txt"), "not a model");
        return dir;
    }

    @Test
    void everyGgufFileAndSplitFolderBecomesAModelTunableByName() throws IOException {
        Path dir = dir();
        List<ServerSpec> specs = TestSupport.specs(Map.of("quarkus.rocm.models-dir", dir.toString(),
                "quarkus.rocm.beta.context-size", "1024", "quarkus.rocm.beta.keep-alive", "30s",
                "quarkus.rocm.threads", "1"));
        assertThat(specs).extracting(ServerSpec::name).containsExactly("alpha", "beta", "split");
        assertThat(specs).extracting(ServerSpec::alias).containsExactly("alpha", "beta", "split");
        LocalSpec beta = (LocalSpec) specs.get(1);
        assertThat(beta.arguments()).containsSubsequence("-m", dir.resolve("beta.gguf").toString())
                .containsSubsequence("-c", "1024");
        assertThat(beta.policy().keepAlive()).hasSeconds(30);
        assertThat(((LocalSpec) specs.get(0)).policy().keepAlive()).as("untuned: forever").isNull();
        assertThat(((LocalSpec) specs.get(2)).arguments()).as("a split model opens its first part")
                .containsSubsequence("-m", dir.resolve("split/big-00001-of-00002.gguf").toString());
    }

    @Test
    void aConfiguredModelOfTheSameNameWins() throws IOException {
        Path dir = dir();
        Path other = TestSupport.model("other-alpha.gguf", TinyModel.builder().reply("Configured.").build());
        List<ServerSpec> specs = TestSupport.specs(Map.of("quarkus.rocm.models-dir", dir.toString(),
                "quarkus.rocm.alpha.model.path", other.toString()));
        assertThat(specs).filteredOn(s -> s.name().equals("alpha")).singleElement()
                .satisfies(s -> assertThat(((LocalSpec) s).model().path()).isEqualTo(other));
    }

    @Test
    void aModelsDirThatIsNotAFolderIsNamed() {
        assertThatThrownBy(() -> TestSupport.specs(Map.of("quarkus.rocm.models-dir", "/nonexistent/models")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("quarkus.rocm.models-dir=/nonexistent/models is not a folder");
    }

    @Test
    void theSchedulersLimitsComeFromConfiguration() {
        var p = TestSupport.tinyModelProperties("quarkus.rocm.max-loaded", "2", "quarkus.rocm.memory-budget", "512M",
                "quarkus.rocm.swap-fairness", "3");
        Limits limits = ServerSpecs.limits(TestSupport.config(p), TestSupport.specs(p));
        assertThat(limits).isEqualTo(new Limits(2, 512L << 20, 3));
        var none = TestSupport.tinyModelProperties();
        assertThat(ServerSpecs.limits(TestSupport.config(none), TestSupport.specs(none)))
                .isEqualTo(new Limits(0, 0, 8));
        var auto = TestSupport.tinyModelProperties("quarkus.rocm.memory-budget", "auto");
        assertThat(ServerSpecs.limits(TestSupport.config(auto), TestSupport.specs(auto)).memoryBudget())
                .as("a CPU server: the machine's available memory minus the headroom").isPositive();
        var bad = TestSupport.tinyModelProperties("quarkus.rocm.memory-budget", "lots");
        assertThatThrownBy(() -> ServerSpecs.limits(TestSupport.config(bad), TestSupport.specs(bad)))
                .hasMessageContaining("quarkus.rocm.memory-budget=lots is not a size: use auto, off, or a size");
        var zero = TestSupport.tinyModelProperties("quarkus.rocm.max-loaded", "0");
        assertThatThrownBy(() -> ServerSpecs.limits(TestSupport.config(zero), TestSupport.specs(zero)))
                .hasMessageContaining("quarkus.rocm.max-loaded=0 must be at least 1");
    }
}
