package io.quarkiverse.rocm.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * A machine with an integrated GPU (card0) and a discrete one (card1, 16 GiB, 4 GiB used), as a fake sysfs tree:
 * the application picks the discrete GPU, hides the integrated one and reports the discrete one's VRAM.
 */
public class FakeGpuProfile implements QuarkusTestProfile {

    static final Path SYS = Path.of("target", "fake-sysfs").toAbsolutePath();
    static final long GIB = 1L << 30;

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            write("class/kfd/kfd/topology/nodes/0/properties", "cpu_cores_count 16\nsimd_count 0\n");
            write("class/kfd/kfd/topology/nodes/1/properties", "cpu_cores_count 0\nsimd_count 120\n"
                    + "gfx_target_version 110001\ndrm_render_minor 129\nunique_id 1311768467463790320\n");
            write("class/kfd/kfd/topology/nodes/2/properties", "cpu_cores_count 0\nsimd_count 4\n"
                    + "gfx_target_version 100306\ndrm_render_minor 128\nunique_id 42\n");
            device("card0", "renderD128", "0000:7c:00.0", 512L << 20, 100L << 20);
            device("card1", "renderD129", "0000:03:00.0", 16 * GIB, 4 * GIB);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("quarkus.rocm.gpu.sysfs-root", SYS.toString(), "quarkus.rocm.memory-budget", "auto");
    }

    static void write(String path, String content) throws IOException {
        Path p = SYS.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    static void device(String card, String render, String pci, long total, long used) throws IOException {
        String dir = "devices/" + pci + "/";
        write(dir + "uevent", "DRIVER=amdgpu\nPCI_SLOT_NAME=" + pci + "\n");
        write(dir + "mem_info_vram_total", total + "\n");
        write(dir + "mem_info_vram_used", used + "\n");
        for (String name : new String[] { card, render }) {
            Path link = SYS.resolve("class/drm/" + name + "/device");
            Files.createDirectories(link.getParent());
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, SYS.resolve(dir));
        }
    }
}
