package io.quarkiverse.rocm.deployment.pool;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.quarkiverse.rocm.runtime.server.pool.RemoteServer;
import io.quarkiverse.rocm.runtime.server.pool.Replica;
import io.quarkiverse.rocm.runtime.server.pool.ReplicaPool;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/**
 * A replica that dies between two probes (here: the probes are an hour apart) is found by the first request that
 * cannot connect to it; nothing was sent, so that request goes to the other replica, and the dead one leaves the
 * rotation: every request is answered.
 */
@ExtendWith(ReplicaHosts.class)
public class PoolFailoverTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(ReplicaHosts.class))
            .overrideConfigKey("quarkus.rocm.canary.interval", "1h")
            .overrideConfigKey("quarkus.rocm.restart.initial-backoff", "1h")
            .overrideConfigKey("quarkus.rocm.restart.max-backoff", "1h")
            .overrideConfigKey("quarkus.rocm.balance", "round-robin")
            .overrideConfigKey("quarkus.rocm.openai.enabled", "true");

    @Inject
    ModelServers servers;

    @Test
    void aRequestThatCannotConnectGoesToTheOtherReplica() throws Exception {
        ReplicaPool pool = ((RemoteServer) servers.defaultServer().orElseThrow()).pool();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (pool.inRotation() < 2) {
            assertThat(System.nanoTime()).as("both in rotation after the first probe").isLessThan(deadline);
            Thread.sleep(20);
        }
        ReplicaHosts.kill(1);
        while (ReplicaHosts.healthy(1)) {
            Thread.sleep(20);
        }
        for (int i = 0; i < 6; i++) { // round-robin: the dead replica's turn comes at once
            Response r = given().contentType("application/json")
                    .body(new JsonObject().put("messages", new io.vertx.core.json.JsonArray()
                            .add(new JsonObject().put("role", "user").put("content", "q " + i))).encode())
                    .post("/v1/chat/completions");
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
            assertThat(ReplicaHosts.whose(r.jsonPath().getString("choices[0].message.content"))).isZero();
        }
        Replica dead = pool.replicas().get(1);
        assertThat(dead.inRotation()).isFalse();
        assertThat(dead.problem()).startsWith("connection failed: ");
        assertThat(dead.ejections()).isEqualTo(1);
        assertThat(dead.inFlight()).as("its count given back").isZero();
    }
}
