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
import io.quarkiverse.rocm.testing.TinyAdapter;
import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkiverse.rocm.testing.TinyProjector;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Which projector goes with which model ({@link ModelFiles}'s rule), and what is refused with the property to change:
 * a projector that is not one, two projectors in one folder, an adapter that is not one or names a model.
 */
class ProjectorRuleTest {

    static final Path DIR = Path.of("target", "test-models", "projector-rule").toAbsolutePath();

    static Path modelsDir() throws IOException {
        Path dir = DIR.resolve("models");
        // a folder of its own: the model and its projector
        TinyModel.defaults().ensure(dir.resolve("seeing/tiny-vision-Q8_0.gguf"));
        TinyProjector.ensure(dir.resolve("seeing/mmproj-tiny-vision-f16.gguf"));
        // beside: only the model whose name it carries gets it
        TinyModel.defaults().ensure(dir.resolve("alpha.gguf"));
        TinyModel.defaults().ensure(dir.resolve("beta.gguf"));
        TinyProjector.ensure(dir.resolve("mmproj-alpha.gguf"));
        return dir;
    }

    static LocalSpec spec(List<ServerSpec> specs, String name) {
        return (LocalSpec) specs.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aProjectorGoesOnlyWithItsOwnModel() throws IOException {
        Path dir = modelsDir();
        List<ServerSpec> specs = TestSupport.specs(Map.of("quarkus.rocm.models-dir", dir.toString()));
        assertThat(specs).extracting(ServerSpec::name).as("a projector is not a model")
                .containsExactly("alpha", "beta", "seeing");
        assertThat(spec(specs, "seeing").projector()).contains(dir.resolve("seeing/mmproj-tiny-vision-f16.gguf"));
        assertThat(spec(specs, "seeing").arguments()).containsSubsequence("-m",
                dir.resolve("seeing/tiny-vision-Q8_0.gguf").toString(), "--mmproj",
                dir.resolve("seeing/mmproj-tiny-vision-f16.gguf").toString());
        assertThat(spec(specs, "alpha").projector()).contains(dir.resolve("mmproj-alpha.gguf"));
        assertThat(spec(specs, "beta").projector()).as("not alpha's").isEmpty();
        assertThat(spec(specs, "beta").arguments()).doesNotContain("--mmproj");
        assertThat(spec(specs, "alpha").plannedBytes() - spec(specs, "beta").plannedBytes())
                .as("the projector is in the memory plan").isEqualTo(Files.size(dir.resolve("mmproj-alpha.gguf")));
    }

    @Test
    void theConfiguredProjectorAndImageOptionsWin() throws IOException {
        Path dir = modelsDir();
        Path other = TinyProjector.ensure(DIR.resolve("other-mmproj.gguf"));
        List<ServerSpec> specs = TestSupport.specs(Map.of("quarkus.rocm.models-dir", dir.toString(),
                "quarkus.rocm.alpha.mmproj", other.toString(), "quarkus.rocm.alpha.mmproj-offload", "false",
                "quarkus.rocm.alpha.image-max-tokens", "256", "quarkus.rocm.alpha.image-min-tokens", "64"));
        assertThat(spec(specs, "alpha").arguments()).containsSubsequence("--mmproj", other.toString(),
                "--no-mmproj-offload", "--image-min-tokens", "64", "--image-max-tokens", "256");
    }

    @Test
    void wrongFilesAreRefusedNamingTheProperty() throws IOException {
        Path dir = modelsDir();
        Path model = dir.resolve("beta.gguf");
        assertThatThrownBy(() -> TestSupport.specs(Map.of("quarkus.rocm.model.path", model.toString(),
                "quarkus.rocm.mmproj", model.toString()))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("quarkus.rocm.mmproj=" + model)
                .hasMessageContaining("is not a multimodal projector (general.architecture=llama");
        Path two = DIR.resolve("two");
        TinyModel.defaults().ensure(two.resolve("m/model.gguf"));
        TinyProjector.ensure(two.resolve("m/mmproj-a.gguf"));
        TinyProjector.ensure(two.resolve("m/mmproj-b.gguf"));
        assertThatThrownBy(() -> TestSupport.specs(Map.of("quarkus.rocm.models-dir", two.toString())))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("holds 2 projectors")
                .hasMessageContaining("quarkus.rocm.\"m\".mmproj");
        assertThatThrownBy(() -> TestSupport.specs(Map.of("quarkus.rocm.model.path", model.toString(),
                "quarkus.rocm.media-path", "/nonexistent/media"))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("quarkus.rocm.media-path=/nonexistent/media is not a folder");
    }

    @Test
    void adaptersAreCheckedAndNamedApart() throws IOException {
        Path model = TinyModel.defaults().ensure(DIR.resolve("base.gguf"));
        Path adapter = TinyAdapter.of(TinyModel.defaults(), 1).ensure(DIR.resolve("skip.gguf"));
        assertThatThrownBy(() -> TestSupport.specs(Map.of("quarkus.rocm.model.path", model.toString(),
                "quarkus.rocm.lora.skip.path", model.toString()))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("quarkus.rocm.lora.\"skip\".path=" + model)
                .hasMessageContaining("is not a LoRA adapter (general.type=model");
        assertThatThrownBy(() -> TestSupport.specs(Map.of("quarkus.rocm.model.path", model.toString(),
                "quarkus.rocm.lora.other.path", adapter.toString(), "quarkus.rocm.other.model.path", model.toString())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("The LoRA adapter quarkus.rocm.lora.\"other\" has the API name of"
                        + " quarkus.rocm.other.model");
        List<ServerSpec> specs = TestSupport.specs(Map.of("quarkus.rocm.model.path", model.toString(),
                "quarkus.rocm.lora.skip.path", adapter.toString(), "quarkus.rocm.lora.skip.scale", "0.5"));
        LocalSpec base = (LocalSpec) specs.get(0);
        assertThat(base.adapters().names()).containsExactly("skip");
        assertThat(base.adapters().field("skip", Map.of()).toString()).isEqualTo("[{\"id\":0,\"scale\":0.5}]");
        assertThat(base.adapters().field("default", Map.of()).toString()).as("the base: every adapter at 0")
                .isEqualTo("[{\"id\":0,\"scale\":0.0}]");
        assertThat(base.arguments()).containsSubsequence("--lora-scaled", adapter + ":0", "--cache-ram", "0");
    }
}
