package io.quarkiverse.rocm.runtime.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkiverse.rocm.runtime.gpu.GpuDevice;

/** {@code quarkus.rocm.memory-budget}: sizes, off, and auto on fake GPUs (sysfs VRAM) and on a CPU (meminfo). */
class MemoryBudgetTest {

    static final long GIB = 1L << 30, MIB = 1L << 20;

    @TempDir
    Path dir;

    GpuDevice gpu(String card, long total) throws IOException {
        Path device = Files.createDirectories(dir.resolve(card));
        Files.writeString(device.resolve("mem_info_vram_total"), total + "\n");
        Files.writeString(device.resolve("mem_info_vram_used"), "0\n");
        return new GpuDevice(1, "gfx1100", card.hashCode(), 128, "0000:03:00.0", card, false, device);
    }

    @Test
    void autoIsTheSelectedGpusVramMinusTheHeadroom() throws IOException {
        GpuDevice a = gpu("card1", 16 * GIB), b = gpu("card2", 8 * GIB);
        assertThat(MemoryBudget.bytes("auto", List.of(a), 512 * MIB, dir.resolve("none")))
                .isEqualTo(16 * GIB - 512 * MIB);
        assertThat(MemoryBudget.bytes("auto", List.of(a, b), 512 * MIB, dir.resolve("none")))
                .isEqualTo(24 * GIB - 512 * MIB);
    }

    @Test
    void autoWithoutAGpuIsTheAvailableMemory() throws IOException {
        Path meminfo = Files.writeString(dir.resolve("meminfo"), "MemTotal: 25165824 kB\nMemAvailable: 20971520 kB\n");
        assertThat(MemoryBudget.bytes("auto", List.of(), 512 * MIB, meminfo)).isEqualTo(20 * GIB - 512 * MIB);
    }

    @Test
    void sizesAndOff() {
        assertThat(MemoryBudget.bytes("20G", List.of(), 0, dir)).isEqualTo(20 * GIB);
        assertThat(MemoryBudget.bytes("off", List.of(), 0, dir)).isZero();
        assertThatThrownBy(() -> MemoryBudget.bytes("a lot", List.of(), 0, dir))
                .hasMessageContaining("quarkus.rocm.memory-budget=a lot is not a size");
    }

    @Test
    void aGpuSmallerThanTheHeadroomIsNamed() throws IOException {
        GpuDevice tiny = gpu("card3", 256 * MIB);
        assertThatThrownBy(() -> MemoryBudget.bytes("auto", List.of(tiny), 512 * MIB, dir))
                .hasMessageContaining("quarkus.rocm.memory-budget=auto found 256 MiB")
                .hasMessageContaining("no more than the headroom of 512 MiB: set a size instead");
    }
}
