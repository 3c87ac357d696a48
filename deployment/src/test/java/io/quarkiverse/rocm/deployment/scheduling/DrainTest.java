package io.quarkiverse.rocm.deployment.scheduling;

import static io.quarkiverse.rocm.deployment.scheduling.SchedulingModels.reply;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.RestAssured;

/**
 * {@code max-loaded=1}: a model serving a request is never unloaded; the other model's request waits for it to
 * finish and is then served. Requests for a model that is loading join its load (one server, not several); a request
 * that gives up while it waits leaves the line.
 */
public class DrainTest {

    @RegisterExtension
    static final QuarkusUnitTest app = SchedulingModels.app("alpha", "bravo")
            // a long answer (20k tokens) must fit the context, or the API refuses it before it takes a slot
            .overrideConfigKey("quarkus.rocm.alpha.context-size", "32768")
            .overrideConfigKey("quarkus.rocm.bravo.context-size", "32768")
            .overrideConfigKey("quarkus.rocm.max-loaded", "1");

    @Inject
    ModelServers servers;

    @Test
    void aBusyModelDrainsBeforeItsRoomIsGiven() throws Exception {
        String loaded = Api.state("alpha").equals("loaded") ? "alpha" : "bravo";
        String other = loaded.equals("alpha") ? "bravo" : "alpha";
        assertThat(Api.state(other)).as("one place: the other model is not loaded").isEqualTo("unloaded");

        CompletableFuture<Api.Streamed> longAnswer = Api.streamAsync(loaded, 20_000);
        awaitBusy();
        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> Api.chat(other));
        Thread.sleep(500);
        assertThat(waiting).as("%s waits while %s streams", other, loaded).isNotDone();
        assertThat(Api.state(loaded)).isEqualTo("loaded");
        Api.Streamed streamed = longAnswer.get(60, TimeUnit.SECONDS);
        assertThat(streamed.done()).as("the long answer was not cut").isTrue();
        assertThat(streamed.error()).isNull();
        assertThat(waiting.get(60, TimeUnit.SECONDS)).isEqualTo(reply(other));
        assertThat(Api.state(other)).isEqualTo("loaded");
        assertThat(Api.state(loaded)).isEqualTo("unloaded");
        assertThat(SchedulingModels.running()).containsExactly(other);
    }

    @Test
    void requestsForALoadingModelJoinOneLoad() throws Exception {
        java.util.concurrent.atomic.AtomicInteger loads = new java.util.concurrent.atomic.AtomicInteger();
        servers.scheduler().addListener(new io.quarkiverse.rocm.runtime.scheduling.LoadListener() {
            @Override
            public void loaded(String model, java.time.Duration took, long bytes) {
                loads.incrementAndGet(); // a listener is told the loads from when it is added
            }
        });
        String away = Api.state("alpha").equals("loaded") ? "bravo" : "alpha";
        List<CompletableFuture<String>> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            all.add(CompletableFuture.supplyAsync(() -> Api.chat(away)));
        }
        for (CompletableFuture<String> f : all) {
            assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(reply(away));
        }
        assertThat(loads.get()).as("one load for five requests").isEqualTo(1);
    }

    @Test
    void aRequestThatGivesUpLeavesTheLine() throws Exception {
        String loaded = Api.state("alpha").equals("loaded") ? "alpha" : "bravo";
        String other = loaded.equals("alpha") ? "bravo" : "alpha";
        CompletableFuture<Api.Streamed> longAnswer = Api.streamAsync(loaded, 20_000);
        awaitBusy();
        String body = "{\"model\":\"" + other + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        try (Socket s = new Socket("localhost", RestAssured.port)) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (servers.scheduler().waiting() < 1) {
                assertThat(System.nanoTime()).as("the request waits for room").isLessThan(deadline);
                Thread.sleep(10);
            }
        } // the client gives up: its connection closes
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (servers.scheduler().waiting() > 0) {
            assertThat(System.nanoTime()).as("it left the line").isLessThan(deadline);
            Thread.sleep(10);
        }
        assertThat(longAnswer.get(60, TimeUnit.SECONDS).done()).isTrue();
        Thread.sleep(200);
        assertThat(Api.state(loaded)).as("nobody waits for the other model: nothing was evicted").isEqualTo("loaded");
        assertThat(Api.state(other)).isEqualTo("unloaded");
    }

    /** Waits until a request holds the loaded model (its stream started). */
    void awaitBusy() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (servers.all().stream().noneMatch(s -> servers.scheduler().busy(s.name()) > 0)) {
            assertThat(System.nanoTime()).as("a stream started").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
