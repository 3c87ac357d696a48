package io.quarkiverse.rocm.deployment.rpc;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * One model split across two llama.cpp RPC workers, each a real {@code rpc-server} in its own network namespace: its
 * layers live on both workers and its answer is still exact; a worker that goes away makes readiness DOWN naming it
 * (liveness stays UP: restarting the application would not bring it back), the request it breaks fails naming it,
 * the restart waits for it, and once it is back the model answers again.
 */
@ExtendWith(WorkerHosts.class) // before the application: it starts the workers and hands over their addresses
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class RpcWorkersTest {

    static final String REPLY = "Split across two hosts, still exact.";

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(WorkerHosts.class))
            .overrideConfigKey("quarkus.rocm.model.path", model().toString())
            .overrideConfigKey("quarkus.rocm.threads", "1")
            // every layer on the workers; the load log shows where each buffer went
            .overrideConfigKey("quarkus.rocm.gpu-layers", "all")
            .overrideConfigKey("quarkus.rocm.args", "-lv,4")
            .overrideConfigKey("quarkus.rocm.canary.interval", "200ms")
            .overrideConfigKey("quarkus.rocm.canary.timeout", "1s")
            .overrideConfigKey("quarkus.rocm.startup-timeout", "60s")
            .overrideConfigKey("quarkus.rocm.openai.enabled", "true")
            .overrideConfigKey("quarkus.langchain4j.chat-model.provider", "rocm");

    @Inject
    ModelServers servers;

    static Path model() {
        try {
            return TinyModel.builder().reply(REPLY).build()
                    .ensure(Path.of("target", "test-models", "rpc-split.gguf").toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    @Order(1)
    void theModelLivesOnBothWorkersAndAnswersExactly() {
        ModelServer server = servers.defaultServer().orElseThrow();
        assertThat(server.state()).isEqualTo(ModelServer.State.READY);
        assertThat(server.commandLine()).containsSubsequence("--rpc", WorkerHosts.worker(0) + "," + WorkerHosts.worker(1));
        String log = String.join("\n", server.output().lines());
        for (int i = 0; i < WorkerHosts.COUNT; i++) {
            assertThat(log).as("llama-server put weights on worker %d", i)
                    .containsPattern("load_tensors: +RPC[0-9]+\\[" + WorkerHosts.worker(i).replace(".", "\\.")
                            + "\\] model buffer size = +[0-9.]+ MiB");
        }
        assertThat(chat()).isEqualTo("200: " + REPLY);
        JsonPath ready = given().get("/q/health/ready").then().statusCode(200).extract().jsonPath();
        assertThat(ready.getString("checks.find { it.name == 'llama-server readiness' }.data.'default.rpc-workers'"))
                .isEqualTo(WorkerHosts.worker(0) + "," + WorkerHosts.worker(1));
    }

    @Test
    @Order(2)
    void aWorkerThatGoesAwayIsNamedAndTheModelComesBackWithIt() throws Exception {
        ModelServer server = servers.defaultServer().orElseThrow();
        long pid = server.pid().orElseThrow();
        String gone = WorkerHosts.worker(1);
        WorkerHosts.kill(1);

        // the canary sees it: not ready (naming the worker and its property), but alive
        String problem = awaitReadinessProblem(Duration.ofSeconds(10));
        assertThat(problem).contains("lost its connection to RPC worker " + gone, "quarkus.rocm.rpc-workers");
        given().get("/q/health/live").then().statusCode(200);

        // a request needs the worker: llama-server aborts, and the error names the worker
        String failed = chat();
        assertThat(failed).startsWith("502: ").contains("went away during the request", "RPC worker " + gone);
        awaitState(server, ModelServer.State.RESTARTING, Duration.ofSeconds(10));
        assertThat(server.lastExit()).contains("pid " + pid, "RPC worker " + gone);
        awaitReason(server, "waiting for RPC worker " + gone, Duration.ofSeconds(10));
        assertThat(given().get("/q/health/ready").then().statusCode(503).extract().jsonPath()
                .getString("checks.find { it.name == 'llama-server readiness' }.data.'default.reason'"))
                .contains("waiting for RPC worker " + gone);
        assertThat(server.pid()).as("no llama-server runs while a worker is missing").isEmpty();

        // the worker is back: the restart goes on by itself, and the answer is exact again
        WorkerHosts.start(1);
        awaitState(server, ModelServer.State.READY, Duration.ofSeconds(30));
        assertThat(server.pid().orElseThrow()).isNotEqualTo(pid);
        assertThat(chat()).isEqualTo("200: " + REPLY);
        given().get("/q/health/ready").then().statusCode(200);
    }

    /** One chat through the OpenAI API: {@code status: content}, or {@code status: error message}. */
    static String chat() {
        Response r = given().contentType("application/json")
                .body("{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}").post("/v1/chat/completions");
        JsonPath json = r.jsonPath();
        return r.statusCode() + ": " + (r.statusCode() == 200 ? json.getString("choices[0].message.content")
                : json.getString("error.message"));
    }

    static String awaitReadinessProblem(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            Response r = given().get("/q/health/ready");
            if (r.statusCode() == 503) {
                return r.jsonPath().getString("checks.find { it.name == 'llama-server readiness' }.data.'default.problem'");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("readiness still UP " + within + " after a worker went away: " + r.asString());
            }
            Thread.sleep(50);
        }
    }

    static void awaitState(ModelServer server, ModelServer.State state, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (server.state() != state) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("llama-server is " + server.state() + " (" + server.reason() + "), not "
                        + state + ", after " + within);
            }
            Thread.sleep(20);
        }
    }

    static void awaitReason(ModelServer server, String reason, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!server.reason().startsWith(reason)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("llama-server is " + server.state() + " (" + server.reason() + "), not "
                        + reason + ", after " + within);
            }
            Thread.sleep(20);
        }
    }
}
