package io.quarkiverse.rocm.runtime.gpu;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * An AMD GPU as the kernel's KFD topology and the amdgpu DRM driver describe it.
 *
 * @param kfdNode the KFD topology node number
 * @param gfxTarget the gfx target, for example {@code gfx1100}
 * @param uniqueId the stable unique id (KFD {@code unique_id}); ROCm names the device {@code GPU-<16 hex digits>}
 * @param renderMinor the DRM render node minor ({@code /dev/dri/renderD<minor>})
 * @param pciAddress the PCI address, for example {@code 0000:03:00.0}
 * @param card the DRM card name ({@code card1}); its number is not the HIP device number
 * @param integrated whether it is an integrated GPU sharing system memory
 * @param deviceDir the sysfs device folder VRAM is read from
 */
public record GpuDevice(int kfdNode, String gfxTarget, long uniqueId, int renderMinor, String pciAddress, String card,
        boolean integrated, Path deviceDir) {

    /** The name ROCm's {@code ROCR_VISIBLE_DEVICES} accepts regardless of enumeration order. */
    public String rocmUuid() {
        return String.format("GPU-%016x", uniqueId);
    }

    /** VRAM now, read from sysfs: two reads that are not atomic, so free is clamped at zero. */
    public Vram vram() {
        OptionalLong total = Sysfs.readLong(deviceDir.resolve("mem_info_vram_total"));
        OptionalLong used = Sysfs.readLong(deviceDir.resolve("mem_info_vram_used"));
        long t = total.orElse(0), u = used.orElse(0);
        return new Vram(t, u, Math.max(0, t - u));
    }

    /** VRAM in bytes. */
    public record Vram(long total, long used, long free) {
    }

    @Override
    public String toString() {
        return card + " (" + gfxTarget + ", " + pciAddress + ", " + rocmUuid() + (integrated ? ", integrated" : "") + ")";
    }
}
