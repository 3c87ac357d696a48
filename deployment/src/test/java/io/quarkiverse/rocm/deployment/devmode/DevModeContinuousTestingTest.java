package io.quarkiverse.rocm.deployment.devmode;

import static io.quarkiverse.rocm.deployment.devmode.DevModeModels.config;
import static io.quarkiverse.rocm.deployment.devmode.DevModeModels.pid;
import static io.quarkiverse.rocm.deployment.devmode.DevModeModels.reply;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.ContinuousTestingTestUtils;
import io.quarkus.test.ContinuousTestingTestUtils.TestStatus;
import io.quarkus.test.QuarkusDevModeTest;

/**
 * Continuous testing in dev mode: the tests run against a llama-server of their own (a test-mode application), pass,
 * and leave nothing running; the dev-mode server is untouched.
 */
public class DevModeContinuousTestingTest {

    static final int PORT = DevModeModels.freePort();

    @RegisterExtension
    static final QuarkusDevModeTest dev = new QuarkusDevModeTest()
            .withApplicationRoot(jar -> jar.addClasses(DevModeResource.class)
                    .addAsResource(new StringAsset(ContinuousTestingTestUtils.appProperties(config("default"),
                            "quarkus.http.port=" + PORT, "quarkus.http.test-port=0")), "application.properties"))
            .setTestArchiveProducer(() -> ShrinkWrap.create(JavaArchive.class).addClass(AskDevModeET.class));

    @Test
    void testsPassAndLeaveNothingRunning() throws InterruptedException {
        TestStatus status = new ContinuousTestingTestUtils().waitForNextCompletion();
        assertThat(status.getTestsFailed()).as("failed tests").isZero();
        assertThat(status.getTestsPassed()).as("passed tests").isEqualTo(1);

        assertThat(given().port(PORT).queryParam("model", "default").get("/dev-test/ask").then().statusCode(200)
                .extract().asString()).isEqualTo("v1 " + reply("default"));
        long devServer = pid("default");
        // the test application's own server is gone: only the dev-mode one runs
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (servers().size() > 1 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(servers()).containsExactly(devServer);
    }

    static List<Long> servers() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains("llama-server")).map(ProcessHandle::pid)
                .toList();
    }

    @AfterAll
    static void leavingDevModeStopsEveryServer() throws InterruptedException {
        DevModeModels.assertNoneLeft();
    }
}
