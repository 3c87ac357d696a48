package io.quarkiverse.rocm.runtime.spec;

import static io.quarkiverse.rocm.runtime.TestSupport.specs;
import static io.quarkiverse.rocm.runtime.TestSupport.tinyModelProperties;
import static io.quarkiverse.rocm.runtime.TestSupport.tinySpec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkiverse.rocm.runtime.TestSupport;
import io.quarkiverse.rocm.runtime.process.LlamaServerException;
import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkus.runtime.configuration.ConfigurationException;

/** From configuration to the llama-server command line, and the errors on the way. */
class ServerSpecsTest {

    @TempDir
    Path dir;

    @Test
    void defaultCommandLine() {
        LocalSpec spec = tinySpec();
        assertThat(spec.alias()).isEqualTo("default");
        assertThat(spec.contextSize()).isEqualTo(4096);
        assertThat(spec.parallel()).isEqualTo(1);
        assertThat(spec.arguments()).containsSubsequence("-m", TestSupport.tinyModel().toString())
                .containsSubsequence("--alias", "default").containsSubsequence("-c", "4096")
                .containsSubsequence("-np", "1").contains("--no-kv-unified", "--metrics", "--no-webui")
                .containsSubsequence("-t", "1").doesNotContain("-ngl", "-fa", "--embeddings");
        assertThat(spec.binaryVersion()).contains("build");
    }

    @Test
    void parallelSlotsMultiplyTheContextUnlessTheCacheIsUnified() {
        LocalSpec split = tinySpec("quarkus.rocm.parallel", "4", "quarkus.rocm.context-size", "1024");
        assertThat(split.arguments()).containsSubsequence("-c", "4096").containsSubsequence("-np", "4")
                .contains("--no-kv-unified");
        assertThat(split.contextSize()).isEqualTo(1024);
        LocalSpec unified = tinySpec("quarkus.rocm.parallel", "4", "quarkus.rocm.context-size", "1024",
                "quarkus.rocm.kv-unified", "true");
        assertThat(unified.arguments()).containsSubsequence("-c", "1024").contains("--kv-unified");
    }

    @Test
    void theDefaultContextIsTheTrainedOneCappedAt4096() throws Exception {
        Path small = TestSupport.model("ctx2048.gguf", TinyModel.builder().contextLength(2048).build());
        assertThat(specs(Map.of("quarkus.rocm.model.path", small.toString())).get(0).contextSize()).isEqualTo(2048);
        Path large = TestSupport.model("ctx131072.gguf", TinyModel.builder().contextLength(131072).build());
        assertThat(specs(Map.of("quarkus.rocm.model.path", large.toString())).get(0).contextSize()).isEqualTo(4096);
    }

    @Test
    void optionsAndExtraArgumentsReachTheCommandLine() {
        LocalSpec spec = tinySpec("quarkus.rocm.gpu-layers", "all", "quarkus.rocm.flash-attention", "on",
                "quarkus.rocm.args", "--cache-type-k=q8_0,--mlock", "quarkus.rocm.env.GGML_FOO", "bar",
                "quarkus.rocm.model.alias", "tiny", "quarkus.rocm.embeddings", "true");
        assertThat(spec.arguments()).containsSubsequence("-ngl", "all").containsSubsequence("-fa", "on")
                .containsSubsequence("--alias", "tiny").contains("--embeddings")
                .endsWith("--cache-type-k=q8_0", "--mlock");
        assertThat(spec.environment()).containsEntry("GGML_FOO", "bar");
        assertThat(spec.alias()).isEqualTo("tiny");
    }

    @Test
    void namedModelsGetTheirOwnServers() {
        Path second = TestSupport.model("second.gguf", TinyModel.builder().reply("I am the second model.").build());
        List<ServerSpec> specs = specs(tinyModelProperties("quarkus.rocm.second.model.path", second.toString(),
                "quarkus.rocm.second.parallel", "2"));
        assertThat(specs).extracting(ServerSpec::name).containsExactly("<default>", "second");
        assertThat(specs).extracting(ServerSpec::alias).containsExactly("default", "second");
        assertThat(specs.get(1).parallel()).isEqualTo(2);
        assertThat(specs.get(1).property("model.path")).isEqualTo("quarkus.rocm.second.model.path");
    }

    @Test
    void aModelDirPlusAFileName() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        Files.copy(TestSupport.tinyModel(), models.resolve("a.gguf"));
        Files.copy(TestSupport.tinyModel(), models.resolve("b.gguf"));
        LocalSpec spec = (LocalSpec) specs(Map.of("quarkus.rocm.model.dir", models.toString(), "quarkus.rocm.model.file",
                "b.gguf")).get(0);
        assertThat(spec.model().path()).isEqualTo(models.resolve("b.gguf"));
        assertThatThrownBy(() -> specs(Map.of("quarkus.rocm.model.dir", models.toString(), "quarkus.rocm.model.file",
                "c.gguf"))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("quarkus.rocm.model.file=c.gguf is not in " + models)
                .hasMessageContaining("GGUF files there: a.gguf, b.gguf");
        assertThatThrownBy(() -> specs(Map.of("quarkus.rocm.model.dir", models.toString())))
                .hasMessageContaining("quarkus.rocm.model.file is not").hasMessageContaining("a.gguf, b.gguf");
    }

    @Test
    void clearErrorsForBadModels() throws Exception {
        assertThatThrownBy(() -> specs(Map.of("quarkus.rocm.model.path", dir.resolve("nope.gguf").toString())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("quarkus.rocm.model.path").hasMessageContaining("nope.gguf: no such file");
        Path text = Files.writeString(dir.resolve("notes.gguf"), "just some text, certainly not a model file");
        assertThatThrownBy(() -> specs(Map.of("quarkus.rocm.model.path", text.toString())))
                .hasMessageContaining("quarkus.rocm.model.path").hasMessageContaining("not a GGUF file");
        assertThatThrownBy(() -> specs(Map.of())).hasMessageContaining("No model configured: set quarkus.rocm.model.path");
        assertThatThrownBy(() -> specs(tinyModelProperties("quarkus.rocm.parallel", "0")))
                .hasMessageContaining("quarkus.rocm.parallel=0 must be at least 1");
        assertThatThrownBy(() -> specs(tinyModelProperties("quarkus.rocm.other.model.path",
                TestSupport.tinyModel().toString(), "quarkus.rocm.other.model.alias", "default")))
                .hasMessageContaining("share the alias 'default'");
    }

    /** One discrete AMD GPU with all of its 16 GiB in use. */
    Path fullGpu() throws Exception {
        Path sys = dir.resolve("sys");
        Path node = Files.createDirectories(sys.resolve("class/kfd/kfd/topology/nodes/1"));
        Files.writeString(node.resolve("properties"), "simd_count 120\ngfx_target_version 110000\n"
                + "drm_render_minor 128\nunique_id 7\n");
        Path device = Files.createDirectories(sys.resolve("devices/0000:03:00.0"));
        Files.writeString(device.resolve("uevent"), "PCI_SLOT_NAME=0000:03:00.0\n");
        Files.writeString(device.resolve("mem_info_vram_total"), Long.toString(16L << 30));
        Files.writeString(device.resolve("mem_info_vram_used"), Long.toString(16L << 30));
        Files.createDirectories(sys.resolve("class/drm/renderD128"));
        Files.createSymbolicLink(sys.resolve("class/drm/renderD128/device"), device);
        return sys;
    }

    @Test
    void theVramPreflightWarnsOrFailsBeforeAnythingIsSpawned() throws Exception {
        Path sys = fullGpu();
        LocalSpec warned = tinySpec("quarkus.rocm.gpu.sysfs-root", sys.toString());
        assertThat(warned.gpus()).hasSize(1);
        assertThatThrownBy(() -> tinySpec("quarkus.rocm.gpu.sysfs-root", sys.toString(), "quarkus.rocm.gpu.preflight",
                "fail")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("Model 'default' needs about").hasMessageContaining("0 MiB free of 16.0 GiB")
                .hasMessageContaining("quarkus.rocm.gpu.preflight=fail");
        assertThat(tinySpec("quarkus.rocm.gpu.sysfs-root", sys.toString(), "quarkus.rocm.gpu.preflight", "fail",
                "quarkus.rocm.gpu-layers", "0").gpus()).as("a CPU-only model needs no VRAM").hasSize(1);
    }

    @Test
    void clearErrorForAMissingBinary() {
        assertThatThrownBy(() -> specs(tinyModelProperties("quarkus.rocm.binary", dir.resolve("llama-server").toString())))
                .isInstanceOf(LlamaServerException.class)
                .hasMessageContaining("quarkus.rocm.binary=" + dir.resolve("llama-server") + " does not exist");
    }

    @Test
    void aRemoteModelNeedsNoBinaryAndRefusesLocalProperties() {
        ServerSpec spec = specs(Map.of("quarkus.rocm.big.urls", "http://gpu-a:8080,https://gpu-b/llama/",
                "quarkus.rocm.big.api-key", "k", "quarkus.rocm.big.parallel", "4",
                "quarkus.rocm.binary", dir.resolve("no-such-llama-server").toString())).get(0);
        assertThat(spec).as("no binary, file or GPU: a remote spec").isInstanceOf(RemoteSpec.class);
        RemoteSpec remote = (RemoteSpec) spec;
        assertThat(remote.pool().urls()).extracting(Object::toString).containsExactly("http://gpu-a:8080",
                "https://gpu-b/llama");
        assertThat(remote.pool().apiKey()).isEqualTo("k");
        assertThat(remote.parallel()).as("the slots of both replicas").isEqualTo(8);
        assertThatThrownBy(() -> specs(Map.of("quarkus.rocm.urls", "http://gpu-a:8080",
                "quarkus.rocm.model.path", TestSupport.tinyModel().toString())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("quarkus.rocm.urls and quarkus.rocm.model.path are both set");
        assertThatThrownBy(() -> specs(Map.of("quarkus.rocm.urls", "http://gpu-a:8080",
                "quarkus.rocm.rpc-workers", "10.0.0.2:50052")))
                .hasMessageContaining("quarkus.rocm.urls and quarkus.rocm.rpc-workers are both set");
    }
}
