package io.quarkiverse.rocm.runtime.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkiverse.rocm.runtime.gguf.GgufMetadata;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * A fake sysfs tree of the machine go-rocm crashed on: DRM card0 is the integrated GPU, card1 the discrete one, and
 * the KFD nodes list the discrete GPU first (HIP device 0), so card numbers and HIP numbers disagree.
 */
class AmdGpusTest {

    static final long GIB = 1L << 30;

    @TempDir
    Path sys;

    @BeforeEach
    void fakeSysfs() throws Exception {
        kfdNode(0, Map.of("cpu_cores_count", "16", "simd_count", "0"));
        // discrete RX 7800 XT: gfx1101, 16 GiB
        kfdNode(1, Map.of("cpu_cores_count", "0", "simd_count", "120", "gfx_target_version", "110001",
                "drm_render_minor", "129", "unique_id", "1311768467463790320"));
        // integrated Raphael: gfx1036, 512 MiB carve-out
        kfdNode(2, Map.of("cpu_cores_count", "0", "simd_count", "4", "gfx_target_version", "100306",
                "drm_render_minor", "128", "unique_id", "42"));
        drm("card0", "renderD128", "0000:7c:00.0", 512L << 20, 100L << 20);
        drm("card1", "renderD129", "0000:03:00.0", 16 * GIB, 20 * GIB); // used > total: non-atomic reads
        Files.createDirectories(sys.resolve("class/drm/card1-DP-1"));
    }

    void kfdNode(int n, Map<String, String> props) throws Exception {
        Path dir = Files.createDirectories(sys.resolve("class/kfd/kfd/topology/nodes/" + n));
        StringBuilder s = new StringBuilder();
        props.forEach((k, v) -> s.append(k).append(' ').append(v).append('\n'));
        Files.writeString(dir.resolve("properties"), s);
    }

    void drm(String card, String render, String pci, long total, long used) throws Exception {
        Path device = Files.createDirectories(sys.resolve("devices/" + pci));
        Files.writeString(device.resolve("uevent"), "DRIVER=amdgpu\nPCI_SLOT_NAME=" + pci + "\n");
        Files.writeString(device.resolve("mem_info_vram_total"), total + "\n");
        Files.writeString(device.resolve("mem_info_vram_used"), used + "\n");
        for (String name : new String[] { card, render }) {
            Path dir = Files.createDirectories(sys.resolve("class/drm/" + name));
            Files.createSymbolicLink(dir.resolve("device"), device);
        }
    }

    @Test
    void readsBothGpusAndTellsTheIntegratedOneApart() {
        List<GpuDevice> gpus = AmdGpus.scan(sys);
        assertThat(gpus).hasSize(2);
        GpuDevice discrete = gpus.get(0), integrated = gpus.get(1);
        assertThat(discrete.card()).isEqualTo("card1");
        assertThat(discrete.gfxTarget()).isEqualTo("gfx1101");
        assertThat(discrete.pciAddress()).isEqualTo("0000:03:00.0");
        assertThat(discrete.rocmUuid()).isEqualTo("GPU-123456789abcdef0");
        assertThat(discrete.integrated()).isFalse();
        assertThat(integrated.card()).isEqualTo("card0");
        assertThat(integrated.gfxTarget()).isEqualTo("gfx1036");
        assertThat(integrated.integrated()).isTrue();
    }

    @Test
    void freeVramIsClampedAtZero() {
        GpuDevice discrete = AmdGpus.scan(sys).get(0);
        assertThat(discrete.vram()).isEqualTo(new GpuDevice.Vram(16 * GIB, 20 * GIB, 0));
        GpuDevice integrated = AmdGpus.scan(sys).get(1);
        assertThat(integrated.vram().free()).isEqualTo(412L << 20);
    }

    @Test
    void autoMasksTheIntegratedGpuByItsStableId() {
        GpuSelection s = GpuSelection.select(AmdGpus.scan(sys), "auto", true, Map.of(), Optional.empty());
        assertThat(s.visible()).extracting(GpuDevice::card).containsExactly("card1");
        assertThat(s.environment()).containsExactly(Map.entry("ROCR_VISIBLE_DEVICES", "GPU-123456789abcdef0"));
    }

    @Test
    void explicitDevicesByPciAddressIdOrCard() {
        List<GpuDevice> gpus = AmdGpus.scan(sys);
        for (String id : new String[] { "0000:7c:00.0", "7c:00.0", "GPU-000000000000002a", "42", "card0", "renderD128" }) {
            GpuSelection s = GpuSelection.select(gpus, id, true, Map.of(), Optional.of("10.3.0"));
            assertThat(s.visible()).as(id).extracting(GpuDevice::card).containsExactly("card0");
            assertThat(s.environment()).containsEntry("ROCR_VISIBLE_DEVICES", "GPU-000000000000002a")
                    .containsEntry("HSA_OVERRIDE_GFX_VERSION", "10.3.0");
        }
        assertThatThrownBy(() -> GpuSelection.select(gpus, "card7", true, Map.of(), Optional.empty()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("quarkus.rocm.gpu.device=card7 matches no GPU")
                .hasMessageContaining("card1 (gfx1101, 0000:03:00.0");
    }

    @Test
    void aUserMaskIsRespected() {
        GpuSelection s = GpuSelection.select(AmdGpus.scan(sys), "auto", true, Map.of("HIP_VISIBLE_DEVICES", "1"),
                Optional.empty());
        assertThat(s.visible()).isEmpty();
        assertThat(s.environment()).isEmpty();
    }

    @Test
    void noAmdGpuMeansNoMask() {
        assertThat(AmdGpus.scan(sys.resolve("elsewhere"))).isEmpty();
        assertThat(GpuSelection.select(List.of(), "auto", true, Map.of(), Optional.empty()).environment()).isEmpty();
        assertThatThrownBy(() -> GpuSelection.select(List.of(), "card1", true, Map.of(), Optional.empty()))
                .hasMessageContaining("shows no AMD GPU");
    }

    @Test
    void thePreflightComparesWeightsAndKvCacheWithFreeVram() {
        GgufMetadata sevenB = new GgufMetadata(Path.of("model.gguf"), 3, 291,
                Map.of("general.architecture", "llama", "llama.block_count", 32L, "llama.attention.head_count", 32L,
                        "llama.attention.head_count_kv", 8L, "llama.embedding_length", 4096L),
                Map.of(), 4L * GIB);
        // 32 layers x 8 kv heads x (128 + 128) x 2 bytes = 128 KiB per token
        assertThat(sevenB.kvBytesPerToken()).hasValue(128 * 1024);
        VramPreflight.Estimate estimate = VramPreflight.estimate(sevenB, 4 * 8192, 512L << 20);
        assertThat(estimate.kvCache()).isEqualTo(4 * GIB);
        assertThat(estimate.total()).isEqualTo(8 * GIB + (512L << 20));

        GpuSelection full = GpuSelection.select(AmdGpus.scan(sys), "auto", true, Map.of(), Optional.empty());
        assertThat(VramPreflight.check("coder", estimate, full)).hasValueSatisfying(m -> assertThat(m)
                .contains("Model 'coder' needs about 8.5 GiB", "KV cache 4.0 GiB for 32768 tokens", "0 MiB free of 16.0 GiB"));
        GpuSelection none = GpuSelection.none();
        assertThat(VramPreflight.check("coder", estimate, none)).isEmpty();
    }
}
