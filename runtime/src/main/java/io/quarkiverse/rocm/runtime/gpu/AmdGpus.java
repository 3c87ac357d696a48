package io.quarkiverse.rocm.runtime.gpu;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

/**
 * Lists AMD GPUs from sysfs: the KFD topology ({@code class/kfd/kfd/topology/nodes/N/properties}: gfx target, unique
 * id, render minor) joined with the DRM device of the same render node ({@code class/drm/renderD<minor>/device}: PCI
 * address, VRAM). DRM card numbers and HIP device numbers are different orders, so devices are identified by unique
 * id and PCI address, never by index.
 */
public final class AmdGpus {

    private static final Logger LOG = Logger.getLogger(AmdGpus.class);
    /** Below this much VRAM a GPU is taken for an integrated one (a carve-out of system memory). */
    static final long INTEGRATED_VRAM_LIMIT = 1L << 30;

    private AmdGpus() {
    }

    /** The GPUs under {@code sysfsRoot} (normally {@code /sys}); empty on machines without AMD GPUs. */
    public static List<GpuDevice> scan(Path sysfsRoot) {
        Path nodes = sysfsRoot.resolve("class/kfd/kfd/topology/nodes");
        List<GpuDevice> out = new ArrayList<>();
        if (!Files.isDirectory(nodes)) {
            return out;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(nodes)) {
            for (Path node : dirs) {
                parse(sysfsRoot, node).ifPresent(out::add);
            }
        } catch (IOException e) {
            LOG.warnf(e, "Cannot read the KFD topology under %s", nodes);
        }
        out.sort(Comparator.comparingInt(GpuDevice::kfdNode));
        return out;
    }

    private static Optional<GpuDevice> parse(Path sysfsRoot, Path node) {
        Map<String, String> p = Sysfs.readProperties(node.resolve("properties"));
        long simds = number(p, "simd_count");
        if (simds <= 0) {
            return Optional.empty(); // a CPU node
        }
        int kfdNode;
        try {
            kfdNode = Integer.parseInt(node.getFileName().toString());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        long version = number(p, "gfx_target_version");
        String gfx = version > 0 ? String.format("gfx%d%x%x", version / 10000, (version / 100) % 100, version % 100)
                : "gfx?";
        int minor = (int) number(p, "drm_render_minor");
        Path deviceDir = sysfsRoot.resolve("class/drm/renderD" + minor + "/device");
        String pci = Sysfs.readProperties(deviceDir.resolve("uevent")).getOrDefault("PCI_SLOT_NAME", "unknown");
        String card = findCard(sysfsRoot, pci).orElse("renderD" + minor);
        long vramTotal = Sysfs.readLong(deviceDir.resolve("mem_info_vram_total")).orElse(0);
        // an APU node has CPU cores and SIMDs; a small VRAM carve-out also gives an iGPU away
        boolean integrated = number(p, "cpu_cores_count") > 0 || vramTotal < INTEGRATED_VRAM_LIMIT;
        return Optional.of(new GpuDevice(kfdNode, gfx, number(p, "unique_id"), minor, pci, card, integrated, deviceDir));
    }

    private static Optional<String> findCard(Path sysfsRoot, String pci) {
        try (DirectoryStream<Path> cards = Files.newDirectoryStream(sysfsRoot.resolve("class/drm"), "card[0-9]*")) {
            for (Path card : cards) {
                if (card.getFileName().toString().contains("-")) {
                    continue; // connectors (card0-DP-1)
                }
                if (pci.equals(Sysfs.readProperties(card.resolve("device/uevent")).get("PCI_SLOT_NAME"))) {
                    return Optional.of(card.getFileName().toString());
                }
            }
        } catch (IOException e) {
            LOG.debugf(e, "no DRM cards under %s", sysfsRoot);
        }
        return Optional.empty();
    }

    private static long number(Map<String, String> p, String key) {
        try {
            return Long.parseUnsignedLong(p.getOrDefault(key, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
