package io.quarkiverse.rocm.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** GPU awareness end to end, on a fake sysfs: device choice, iGPU masking, VRAM in health and metrics. */
@QuarkusTest
@TestProfile(FakeGpuProfile.class)
class FakeGpuTest {

    @Inject
    ModelServers servers;

    @Test
    void theDiscreteGpuIsChosenAndTheIntegratedOneMasked() throws Exception {
        ModelServer server = servers.defaultServer().orElseThrow();
        assertThat(server.gpus()).extracting(g -> g.card()).containsExactly("card1");
        String environ = new String(Files.readAllBytes(Path.of("/proc", Long.toString(server.pid().orElseThrow()),
                "environ")), StandardCharsets.UTF_8);
        assertThat(environ.split("\0")).contains("ROCR_VISIBLE_DEVICES=GPU-123456789abcdef0");
    }

    @Test
    void theMemoryBudgetIsTheChosenGpusVramMinusTheHeadroom() {
        assertThat(servers.scheduler().limits().memoryBudget()).as("16 GiB (the integrated GPU is masked) - 512 MiB")
                .isEqualTo(16 * FakeGpuProfile.GIB - (512L << 20));
        assertThat(servers.scheduler().loadedCount()).as("the demo's models fit").isEqualTo(servers.all().size());
    }

    @Test
    void vramIsReportedByHealthAndMetrics() {
        given().get("/q/health/live").then().statusCode(200)
                .body("checks[0].data.'default.gpu.card1.vram.total'", equalTo(17179869184L))
                .body("checks[0].data.'default.gpu.card1.vram.used'", equalTo(4294967296L));
        String metrics = MetricsTest.metrics();
        assertThat(MetricsTest.value(metrics,
                "rocm_gpu_vram_total_bytes{device=\"card1\",gfx=\"gfx1101\",model=\"default\"}"))
                .isEqualTo(17179869184.0);
        assertThat(MetricsTest.value(metrics,
                "rocm_gpu_vram_used_bytes{device=\"card1\",gfx=\"gfx1101\",model=\"default\"}"))
                .isEqualTo(4294967296.0);
    }
}
