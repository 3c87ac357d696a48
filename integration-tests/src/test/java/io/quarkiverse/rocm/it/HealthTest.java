package io.quarkiverse.rocm.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItems;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class HealthTest {

    @Test
    void theThreeProbesAreUpWithTheServersDetails() {
        for (String probe : new String[] { "live", "ready", "started" }) {
            given().get("/q/health/" + probe).then().statusCode(200).body("status", equalTo("UP"))
                    .body("checks.name", hasItems("llama-server " + (probe.equals("live") ? "liveness"
                            : probe.equals("ready") ? "readiness" : "startup")))
                    .body("checks[0].data.'default.state'", equalTo("READY"))
                    .body("checks[0].data.'default.pid'", greaterThan(0))
                    .body("checks[0].data.'default.socket'", endsWith("llama-server.sock"));
        }
    }
}
