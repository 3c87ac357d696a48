package io.quarkiverse.rocm.deployment.pool;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.quarkiverse.rocm.deployment.rpc.WorkerHosts;
import io.quarkiverse.rocm.testing.NetworkNamespace;
import io.quarkiverse.rocm.testing.TinyModel;

/**
 * Two GPU "hosts" for a pool of remote replicas: network namespaces made by the test, each running a real
 * llama-server on its own address with a tiny model whose reply names its host, behind an API key. Register it on the
 * test class before the application's extension: it starts the replicas and hands the application their URLs and key
 * as {@code quarkus.rocm.urls} and {@code quarkus.rocm.api-key}. Skipped, saying why, where namespaces cannot be made.
 * <p>
 * As for {@link WorkerHosts}, the static helpers find the hosts through system properties: the test methods run in
 * Quarkus' class loader, where this class is loaded again.
 */
public final class ReplicaHosts implements ExecutionCondition, BeforeAllCallback, AfterAllCallback {

    static final int PORT = 8080;
    static final int COUNT = 2;
    static final String KEY = "replica-key-for-tests";
    private static final String HOSTS = "rocm.test.replica-hosts";
    private static final String LLAMA_SERVER = "rocm.test.replica-llama-server";
    /** Slots of each replica's llama-server (4096 tokens each); 1 unless a test sets it before the hosts start. */
    static final String SLOTS = "rocm.test.replica-slots";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    private final List<NetworkNamespace> namespaces = new ArrayList<>();

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<String> why = NetworkNamespace.unavailable();
        return why.map(w -> ConditionEvaluationResult.disabled("no network namespaces for the replicas: " + w))
                .orElse(ConditionEvaluationResult.enabled("network namespaces can be made"));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        System.setProperty(LLAMA_SERVER, WorkerHosts.rpcLlamaServer().toString()); // a llama-server like any other
        List<String> descriptions = new ArrayList<>();
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            NetworkNamespace ns = NetworkNamespace.create();
            namespaces.add(ns);
            descriptions.add(ns.describe());
            urls.add("http://" + ns.address() + ":" + PORT);
        }
        System.setProperty(HOSTS, String.join(";", descriptions));
        for (int i = 0; i < COUNT; i++) {
            start(i);
        }
        System.setProperty("quarkus.rocm.urls", String.join(",", urls));
        System.setProperty("quarkus.rocm.api-key", KEY);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        for (String key : List.of("quarkus.rocm.urls", "quarkus.rocm.api-key", HOSTS, LLAMA_SERVER)) {
            System.clearProperty(key);
        }
        namespaces.forEach(NetworkNamespace::close);
        namespaces.clear();
    }

    static NetworkNamespace host(int i) {
        return NetworkNamespace.attach(System.getProperty(HOSTS).split(";")[i]);
    }

    /** Replica {@code i}'s base URL, as configured. */
    static String url(int i) {
        return "http://" + host(i).address() + ":" + PORT;
    }

    /** What replica {@code i}'s model answers to everything. */
    static String reply(int i) {
        return "Replica " + (i == 0 ? "zero" : "one") + " answers.";
    }

    /** The replica whose reply starts {@code text}, or -1. */
    static int whose(String text) {
        for (int i = 0; i < COUNT; i++) {
            if (!text.isEmpty() && reply(i).startsWith(text.substring(0, Math.min(text.length(), reply(i).length())))) {
                return i;
            }
        }
        return -1;
    }

    /** Starts replica {@code i}'s llama-server and waits until it is healthy. */
    static void start(int i) throws IOException, InterruptedException {
        NetworkNamespace ns = host(i);
        Path model = TinyModel.builder().reply(reply(i)).build()
                .ensure(Path.of("target", "test-models", "replica-" + i + ".gguf").toAbsolutePath());
        int slots = Integer.getInteger(SLOTS, 1);
        ns.start(List.of(System.getProperty(LLAMA_SERVER), "-m", model.toString(), "--host", ns.address(), "--port",
                Integer.toString(PORT), "--api-key", KEY, "-c", Integer.toString(4096 * slots), "-np",
                Integer.toString(slots), "-t", "1", "--no-webui"),
                Path.of("target", "replicas", ns.name() + ".log"));
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!healthy(i)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("llama-server in " + ns + " is not healthy after 60 s: see"
                        + " target/replicas/" + ns.name() + ".log");
            }
            Thread.sleep(50);
        }
    }

    /** Kills replica {@code i}'s llama-server (SIGKILL), as a crash or a lost pod would. */
    static void kill(int i) {
        host(i).killAll();
    }

    static boolean healthy(int i) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url(i) + "/health")).timeout(Duration.ofSeconds(1))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
