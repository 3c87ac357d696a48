package io.quarkiverse.rocm.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** What the health probes say while llama-server is stopped, continued, killed and restarted. */
@QuarkusTest
@TestProfile(ShortCanaryProfile.class)
class SupervisionTest {

    @Inject
    ModelServers servers;

    @Test
    void aStoppedServerTurnsLivenessDownUntilItContinues() throws Exception {
        ModelServer server = servers.defaultServer().orElseThrow();
        long pid = server.pid().orElseThrow();
        Signals.send(pid, "STOP");
        try {
            Signals.awaitStatus("/q/health/live", 503, Duration.ofSeconds(20));
            given().get("/q/health/live").then().body("status", equalTo("DOWN"))
                    .body("checks[0].data.'default.problem'", containsString("GET /slots"));
            given().get("/q/health/ready").then().statusCode(503);
        } finally {
            Signals.send(pid, "CONT");
        }
        Signals.awaitStatus("/q/health/live", 200, Duration.ofSeconds(20));
        assertThat(server.pid()).hasValue(pid);
    }

    @Test
    void aKilledServerIsRestartedAndTheProbesRecover() throws Exception {
        ModelServer server = servers.defaultServer().orElseThrow();
        long pid = server.pid().orElseThrow();
        int restarts = server.restarts();
        Signals.send(pid, "KILL");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (server.restarts() == restarts || server.state() != ModelServer.State.READY) {
            assertThat(System.nanoTime()).as("restarted: %s", server).isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(server.restarts()).isEqualTo(restarts + 1);
        assertThat(server.pid().orElseThrow()).isNotEqualTo(pid);
        Signals.awaitStatus("/q/health/ready", 200, Duration.ofSeconds(20));
        given().get("/q/health/live").then().statusCode(200)
                .body("checks[0].data.'default.restarts'", equalTo(restarts + 1));
    }
}
