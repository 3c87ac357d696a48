package io.quarkiverse.rocm.deployment.rpc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.quarkiverse.rocm.testing.NetworkNamespace;

/**
 * Two "hosts" for llama.cpp RPC workers: network namespaces made by the test, each running a real {@code rpc-server}
 * (Debian's, installed by the build with {@code install-llama-server.sh --backend rpc}) on its own address. Register
 * it on the test class, before the application's extension: it starts the workers first and hands the application
 * their addresses and the RPC-capable llama-server as system properties. The class is skipped, saying why, where
 * namespaces cannot be made.
 * <p>
 * The application and the test methods run in Quarkus' class loader, where this class is loaded again: the static
 * helpers find the hosts through the system properties, never through fields of the instance JUnit created.
 */
public final class WorkerHosts implements ExecutionCondition, BeforeAllCallback, AfterAllCallback {

    static final int PORT = 50052;
    static final int COUNT = 2;
    private static final String HOSTS = "rocm.test.worker-hosts";
    private static final String RPC_SERVER = "rocm.test.rpc-server";
    private static final Path STATUS = Path.of("target", "llama-server-rpc.txt");
    private final List<NetworkNamespace> namespaces = new ArrayList<>();

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<String> why = NetworkNamespace.unavailable();
        return why.map(w -> ConditionEvaluationResult.disabled("no network namespaces for the RPC workers: " + w))
                .orElse(ConditionEvaluationResult.enabled("network namespaces can be made"));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Path llamaServer = rpcLlamaServer();
        Path rpcServer = llamaServer.resolveSibling("rpc-server");
        System.setProperty(RPC_SERVER, rpcServer.toString());
        List<String> descriptions = new ArrayList<>();
        List<String> workers = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            NetworkNamespace ns = NetworkNamespace.create();
            namespaces.add(ns);
            descriptions.add(ns.describe());
            workers.add(ns.address() + ":" + PORT);
        }
        System.setProperty(HOSTS, String.join(";", descriptions));
        for (int i = 0; i < COUNT; i++) {
            start(i);
        }
        System.setProperty("quarkus.rocm.binary", llamaServer.toString());
        System.setProperty("quarkus.rocm.rpc-workers", String.join(",", workers));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        for (String key : List.of("quarkus.rocm.binary", "quarkus.rocm.rpc-workers", HOSTS, RPC_SERVER)) {
            System.clearProperty(key);
        }
        namespaces.forEach(NetworkNamespace::close);
        namespaces.clear();
    }

    /** Worker {@code i}'s host. */
    static NetworkNamespace host(int i) {
        return NetworkNamespace.attach(System.getProperty(HOSTS).split(";")[i]);
    }

    /** {@code address:port} of worker {@code i}. */
    static String worker(int i) {
        return host(i).address() + ":" + PORT;
    }

    /** Starts worker {@code i}'s rpc-server (one CPU thread) and waits until it accepts connections. */
    static void start(int i) throws IOException, InterruptedException {
        NetworkNamespace ns = host(i);
        ns.start(List.of(System.getProperty(RPC_SERVER), "-H", ns.address(), "-p", Integer.toString(PORT), "-t", "1"),
                Path.of("target", "rpc-workers", ns.name() + ".log"));
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!accepts(ns.address())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("rpc-server in " + ns + " does not listen after 30 s: see target/rpc-workers/"
                        + ns.name() + ".log");
            }
            Thread.sleep(50);
        }
    }

    /** Kills worker {@code i}'s rpc-server, as a crash or a lost host would. */
    static void kill(int i) throws InterruptedException {
        host(i).killAll();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (accepts(host(i).address())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("worker " + worker(i) + " still accepts connections after its kill");
            }
            Thread.sleep(50);
        }
    }

    private static boolean accepts(String address) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, PORT), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The llama-server with the RPC backend that the build installed ({@code target/llama-server-rpc.txt}). */
    public static Path rpcLlamaServer() {
        try {
            List<String> lines = Files.exists(STATUS) ? Files.readAllLines(STATUS) : List.of();
            String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
            if (!last.startsWith("/") || !Files.isExecutable(Path.of(last))) {
                throw new IllegalStateException("the build did not install llama-server with the RPC backend ("
                        + STATUS + ": " + String.join(" ", lines) + "): run the tests through Maven, or run"
                        + " src/main/scripts/install-llama-server.sh --backend rpc > " + STATUS);
            }
            return Path.of(last);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
