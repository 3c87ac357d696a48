package io.quarkiverse.rocm.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkiverse.rocm.runtime.TestSupport;
import io.quarkiverse.rocm.runtime.server.local.LocalServer;

/**
 * What a load really used corrects the plan of the next one: the VRAM its GPU gained while it loaded (a fake sysfs
 * here), or the resident memory of a CPU server (a real llama-server both times).
 */
class ScheduledServerTest {

    static final long MIB = 1L << 20;

    @TempDir
    Path sys;

    @Test
    void theVramAGpuGainedWhileLoadingIsWhatTheModelNeeds() throws Exception {
        Path node = Files.createDirectories(sys.resolve("class/kfd/kfd/topology/nodes/1"));
        Files.writeString(node.resolve("properties"), "cpu_cores_count 0\nsimd_count 120\ngfx_target_version 110001\n"
                + "drm_render_minor 129\nunique_id 1311768467463790320\n");
        Path device = Files.createDirectories(sys.resolve("devices/0000:03:00.0"));
        Files.writeString(device.resolve("uevent"), "DRIVER=amdgpu\nPCI_SLOT_NAME=0000:03:00.0\n");
        Files.writeString(device.resolve("mem_info_vram_total"), (16384 * MIB) + "\n");
        Files.writeString(device.resolve("mem_info_vram_used"), (1024 * MIB) + "\n");
        for (String name : new String[] { "card1", "renderD129" }) {
            Path dir = Files.createDirectories(sys.resolve("class/drm/" + name));
            Files.createSymbolicLink(dir.resolve("device"), device);
        }
        LocalServer server = new LocalServer(TestSupport.tinySpec("quarkus.rocm.gpu.sysfs-root", sys.toString()));
        ScheduledServer model = new ScheduledServer(server);
        try {
            assertThat(server.gpus()).extracting(g -> g.card()).containsExactly("card1");
            assertThat(model.bytes()).as("planned from the GGUF").isEqualTo(server.spec().plannedBytes());
            var loading = model.load();
            Files.writeString(device.resolve("mem_info_vram_used"), (1324 * MIB) + "\n"); // the model's 300 MiB
            loading.get(30, TimeUnit.SECONDS);
            model.measure();
            assertThat(model.measuredBytes()).isEqualTo(300 * MIB);
            assertThat(model.bytes()).as("the next load is planned with it").isEqualTo(300 * MIB);
        } finally {
            server.stop();
        }
    }

    @Test
    void aCpuServersResidentMemoryIsWhatItNeeds() throws Exception {
        LocalServer server = new LocalServer(TestSupport.tinySpec());
        ScheduledServer model = new ScheduledServer(server);
        try {
            model.load().get(30, TimeUnit.SECONDS);
            model.measure();
            assertThat(model.measuredBytes()).as("llama-server's VmRSS").isBetween(4 * MIB, server.spec().plannedBytes());
            assertThat(model.bytes()).isEqualTo(model.measuredBytes());
        } finally {
            server.stop();
        }
    }
}
