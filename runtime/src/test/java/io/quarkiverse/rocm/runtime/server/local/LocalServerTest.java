package io.quarkiverse.rocm.runtime.server.local;

import static io.quarkiverse.rocm.runtime.TestSupport.signal;
import static io.quarkiverse.rocm.runtime.TestSupport.tinySpec;
import static io.quarkiverse.rocm.runtime.TestSupport.tinyUnixSpec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkiverse.rocm.runtime.client.ExchangeObserver;
import io.quarkiverse.rocm.runtime.client.LlamaServerClient;
import io.quarkiverse.rocm.runtime.client.SseListener;
import io.quarkiverse.rocm.runtime.client.UpstreamException;
import io.quarkiverse.rocm.runtime.process.LlamaServerException;
import io.quarkiverse.rocm.runtime.server.Endpoint;
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.quarkiverse.rocm.runtime.server.ServerProbe;
import io.quarkiverse.rocm.runtime.spec.LocalSpec;
import io.quarkiverse.rocm.runtime.spec.ServerSpec;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/** The supervisor against a real llama-server (and, for a hang and an early exit, a fake one). */
class LocalServerTest {

    static Vertx vertx;
    final List<ModelServer> started = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @AfterEach
    void stopAll() {
        started.forEach(ModelServer::stop);
    }

    ModelServer server(LocalSpec spec) {
        ModelServer s = new LocalServer(spec);
        started.add(s);
        return s;
    }

    static Endpoint await(CompletableFuture<Endpoint> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void onAUnixSocketOnlyThisUserWithTheKeyGetsIn() throws Exception {
        ModelServer server = server(tinyUnixSpec());
        Endpoint endpoint = await(server.start());
        java.nio.file.Path socket = java.nio.file.Path.of(endpoint.socket());
        assertThat(socket).exists().hasFileName("llama-server.sock");
        assertThat(endpoint.port()).as("no port taken").isZero();
        assertThat(java.nio.file.Files.getPosixFilePermissions(socket.getParent()))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        assertThat(server.commandLine()).containsSubsequence("--host", socket.toString());
        assertThat(ServerProbe.status(endpoint, "/slots", null, java.time.Duration.ofSeconds(2)))
                .as("the key is required").isEqualTo(401);
        assertThat(ServerProbe.status(endpoint, "/slots", endpoint.apiKey(), java.time.Duration.ofSeconds(2)))
                .isEqualTo(200);
        assertThat(ServerProbe.props(endpoint, java.time.Duration.ofSeconds(2))).hasValueSatisfying(
                p -> assertThat(p.contextSize()).isEqualTo(4096));
        server.stop();
        assertThat(alive(endpoint.pid())).isFalse();
        assertThat(socket.getParent()).as("the private folder is removed").doesNotExist();
    }

    @Test
    void startsReadyAndStopsTheProcess() throws Exception {
        ModelServer server = server(tinySpec());
        List<String> transitions = new ArrayList<>();
        server.addListener((s, from, to, why) -> transitions.add(from + "->" + to));
        Endpoint endpoint = await(server.start());
        assertThat(server.state()).isEqualTo(ModelServer.State.READY);
        assertThat(endpoint.port()).isPositive();
        assertThat(alive(endpoint.pid())).isTrue();
        assertThat(ServerProbe.status(LocalServer.HOST, endpoint.port(), "/slots", null, java.time.Duration.ofSeconds(2)))
                .as("the key is required").isEqualTo(401);
        assertThat(ServerProbe.status(LocalServer.HOST, endpoint.port(), "/slots", endpoint.apiKey(),
                java.time.Duration.ofSeconds(2))).isEqualTo(200);
        server.stop();
        assertThat(alive(endpoint.pid())).isFalse();
        assertThat(server.state()).isEqualTo(ModelServer.State.STOPPED);
        assertThat(transitions).containsExactly("STOPPED->STARTING", "STARTING->READY", "READY->STOPPING",
                "STOPPING->STOPPED");
    }

    @Test
    void aKilledServerFailsTheRequestInFlightClearlyAndIsRestarted() throws Exception {
        ModelServer server = server(tinySpec());
        Endpoint first = await(server.start());
        CompletableFuture<String> restarting = new CompletableFuture<>();
        server.addListener((s, from, to, why) -> {
            if (to == ModelServer.State.RESTARTING) {
                restarting.complete(why);
            }
        });
        LlamaServerClient client = new LlamaServerClient(vertx, server, 2, false,
                new io.quarkiverse.rocm.runtime.client.Gate(4, 16));
        CountDownLatch firstToken = new CountDownLatch(1);
        CompletableFuture<UpstreamException> failure = new CompletableFuture<>();
        AtomicInteger events = new AtomicInteger();
        // ignore_eos makes the scripted model talk for as long as n_predict allows (several seconds)
        client.stream("/completion", Buffer.buffer("{\"prompt\":\"Hi\",\"n_predict\":200000,\"ignore_eos\":true,"
                + "\"stream\":true}"), 30_000, ExchangeObserver.Request.OWN, new SseListener() {
                    @Override
                    public void onData(Buffer data) {
                        events.incrementAndGet();
                        firstToken.countDown();
                    }

                    @Override
                    public void onComplete() {
                        failure.completeExceptionally(new AssertionError("the stream completed"));
                    }

                    @Override
                    public void onError(UpstreamException error) {
                        failure.complete(error);
                    }
                });
        assertThat(firstToken.await(30, TimeUnit.SECONDS)).isTrue();
        signal(first.pid(), "KILL");
        UpstreamException error = failure.get(30, TimeUnit.SECONDS);
        assertThat(error.kind()).isEqualTo(UpstreamException.Kind.CONNECTION_LOST);
        assertThat(error.getMessage()).contains("llama-server 'default' (pid " + first.pid() + ") went away during the"
                + " request").contains("SIGKILL");
        // the client can see the connection drop before the supervisor sees the process exit
        assertThat(restarting.get(30, TimeUnit.SECONDS)).contains("SIGKILL");
        Endpoint second = await(server.awaitReady(false));
        assertThat(second.pid()).isNotEqualTo(first.pid());
        assertThat(server.restarts()).isEqualTo(1);
        LlamaServerClient.Response r = client.send(HttpMethod.POST, "/completion",
                Buffer.buffer("{\"prompt\":\"Hi\",\"n_predict\":4}"), 30_000, ExchangeObserver.Request.OWN)
                .get(30, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().toJsonObject().getString("content")).isEqualTo("Hello! I am a tiny test");
        client.close();
    }

    @Test
    void aServerThatKeepsCrashingSoonAfterRestartsIsRestartedWithGrowingWaits() throws Exception {
        ModelServer server = server(tinySpec("quarkus.rocm.restart.initial-backoff", "300ms",
                "quarkus.rocm.restart.max-backoff", "30s"));
        List<String> restarting = new java.util.concurrent.CopyOnWriteArrayList<>();
        server.addListener((s, from, to, why) -> {
            if (to == ModelServer.State.RESTARTING) {
                restarting.add(why);
            }
        });
        Endpoint endpoint = await(server.start());
        for (int crash = 1; crash <= 3; crash++) {
            signal(endpoint.pid(), "KILL");
            int seen = crash;
            waitFor(() -> restarting.size() == seen, "restart " + seen);
            endpoint = await(server.awaitReady(false));
        }
        assertThat(restarting).as("the first crash is restarted at once; then 300 ms, doubling").containsExactly(
                "was killed by signal 9 (SIGKILL)",
                "was killed by signal 9 (SIGKILL); restarting in 300 ms",
                "was killed by signal 9 (SIGKILL); restarting in 600 ms");
        assertThat(server.restarts()).isEqualTo(3);
    }

    @Test
    void aStoppedServerIsNotAliveUntilItContinues() throws Exception {
        ModelServer server = server(tinySpec("quarkus.rocm.canary.interval", "100ms", "quarkus.rocm.canary.timeout",
                "400ms"));
        Endpoint endpoint = await(server.start());
        waitFor(server::alive, "alive after start");
        signal(endpoint.pid(), "STOP");
        try {
            waitFor(() -> !server.alive(), "not alive once SIGSTOPped");
            assertThat(server.livenessProblem()).containsAnyOf("has not answered", "no answer");
            assertThat(server.state()).as("a stopped process has not exited").isEqualTo(ModelServer.State.READY);
        } finally {
            signal(endpoint.pid(), "CONT");
        }
        waitFor(server::alive, "alive again after SIGCONT");
    }

    @Test
    void aHangingStartFailsAfterTheStartupTimeoutAndLeavesNothingRunning() throws Exception {
        Path fake = script("echo 'version: 0.0.0 (build 1, commit fake)' >&2\n"
                + "[ \"$1\" = --version ] && exit 0\necho 'loading model...'\nexec sleep 600\n");
        ModelServer server = server(tinySpec("quarkus.rocm.binary", fake.toString(), "quarkus.rocm.startup-timeout",
                "1s", "quarkus.rocm.stop-timeout", "1s"));
        CompletableFuture<Endpoint> start = server.start();
        waitFor(() -> server.pid().isPresent(), "the fake server spawned");
        long pid = server.pid().orElseThrow();
        assertThatThrownBy(() -> start.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(LlamaServerException.class)
                .hasMessageContaining("made no progress for 1 s while starting (quarkus.rocm.startup-timeout")
                .hasMessageContaining("loading model...");
        assertThat(server.state()).isEqualTo(ModelServer.State.FAILED);
        waitFor(() -> !alive(pid), "the hung process is killed");
    }

    @Test
    void anEarlyExitFailsTheStartWithTheExitCodeAndTheOutput() throws Exception {
        Path fake = script("echo 'version: 0.0.0 (build 1, commit fake)' >&2\n"
                + "[ \"$1\" = --version ] && exit 0\necho 'error: invalid argument: --bogus' >&2\nexit 3\n");
        ModelServer server = server(tinySpec("quarkus.rocm.binary", fake.toString()));
        assertThatThrownBy(() -> await(server.start())).cause().isInstanceOf(LlamaServerException.class)
                .hasMessageContaining("llama-server 'default' exited with code 3 before it was ready")
                .hasMessageContaining("An argument was refused: check quarkus.rocm.args")
                .hasMessageContaining("error: invalid argument: --bogus");
        assertThat(server.state()).isEqualTo(ModelServer.State.FAILED);
        assertThat(server.restarts()).isZero();
    }

    @Test
    void aTakenPortIsAClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            ModelServer server = server(tinySpec("quarkus.rocm.port", Integer.toString(taken.getLocalPort())));
            assertThatThrownBy(() -> await(server.start())).cause().isInstanceOf(LlamaServerException.class)
                    .hasMessageContaining("Port " + taken.getLocalPort() + " is in use: set quarkus.rocm.port");
        }
    }

    @Test
    void devModeKeepsAnUnchangedServerAndStopsAChangedOne() throws Exception {
        ServerSpec spec = tinySpec();
        ModelServers first = ModelServers.create(List.of(spec), true, false);
        first.startAndWait();
        ModelServer kept = first.defaultServer().orElseThrow();
        started.add(kept);
        long pid = kept.pid().orElseThrow();
        first.close(true);
        assertThat(alive(pid)).as("kept across the reload").isTrue();

        ModelServers second = ModelServers.create(List.of(tinySpec()), true, false);
        assertThat(second.defaultServer()).containsSame(kept);
        second.close(true);

        ModelServers third = ModelServers.create(List.of(tinySpec("quarkus.rocm.context-size", "2048")), true, false);
        started.addAll(third.all());
        assertThat(alive(pid)).as("a changed configuration stops the old server").isFalse();
        third.startAndWait();
        assertThat(third.defaultServer().orElseThrow().spec().contextSize()).isEqualTo(2048);
        third.close(false);
    }

    @Test
    void aCallerThatGivesUpDoesNotSpoilTheStartForOthers() throws Exception {
        Path fake = script("echo 'version: 0.0.0 (build 1, commit fake)' >&2\n"
                + "[ \"$1\" = --version ] && exit 0\n"
                + "echo 'loading model...'\nsleep 1\nexec " + tinySpec().binary() + " \"$@\"\n");
        ModelServer server = server(tinySpec("quarkus.rocm.binary", fake.toString()));
        CompletableFuture<Endpoint> impatient = server.start().orTimeout(100, TimeUnit.MILLISECONDS);
        assertThatThrownBy(impatient::join).hasCauseInstanceOf(java.util.concurrent.TimeoutException.class);
        Endpoint endpoint = await(server.awaitReady(false));
        assertThat(endpoint.port()).isPositive();
        assertThat(server.awaitReady(false)).isCompletedWithValue(endpoint);
    }

    @Test
    void lazyServersStartOnFirstUse() throws Exception {
        ModelServer server = server(tinySpec());
        assertThat(server.state()).isEqualTo(ModelServer.State.STOPPED);
        assertThatThrownBy(() -> server.awaitReady(false).join()).hasMessageContaining("is stopped");
        await(server.awaitReady(true));
        assertThat(server.state()).isEqualTo(ModelServer.State.READY);
    }

    Path script(String body) throws IOException {
        Path p = dir.resolve("fake-llama-server");
        Files.writeString(p, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(50);
        }
    }
}
