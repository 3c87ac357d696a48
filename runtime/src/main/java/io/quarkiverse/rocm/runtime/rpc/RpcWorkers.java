package io.quarkiverse.rocm.runtime.rpc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * The llama.cpp RPC workers of one model ({@code quarkus.rocm."name".rpc-workers}): {@code rpc-server}s on other hosts
 * that hold part of the model's weights and KV cache. llama-server gets them as {@code --rpc host:port,...} and aborts
 * when one cannot be reached, so the supervisor waits for all of them before each start and names the ones that went
 * away when it crashes. Reachability is a TCP connection: the RPC protocol has no health call, and no authentication.
 *
 * @param property the property that lists them, for messages
 * @param workers the workers, in the order llama-server numbers its RPC devices
 */
public record RpcWorkers(String property, List<Worker> workers) {

    /** One worker's address. */
    public record Worker(String host, int port) {
        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** The RPC device names llama-server logs for its workers ({@code RPC0}, ...) come in this order. */
    public RpcWorkers {
        workers = List.copyOf(workers);
    }

    /** No workers: the model runs on this host only. */
    public static RpcWorkers none(String property) {
        return new RpcWorkers(property, List.of());
    }

    /**
     * Parses {@code host:port} entries ({@code [v6-address]:port} for IPv6).
     *
     * @throws ConfigurationException naming the property and the bad entry
     */
    public static RpcWorkers parse(String property, List<String> entries) {
        List<Worker> workers = new ArrayList<>();
        for (String raw : entries) {
            String entry = raw.strip();
            int colon = entry.lastIndexOf(':');
            String host = colon > 0 ? entry.substring(0, colon) : "";
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port = -1;
            if (colon > 0) {
                try {
                    port = Integer.parseInt(entry.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
            }
            if (host.isEmpty() || port < 1 || port > 65535 || host.contains("/")) {
                throw new ConfigurationException(property + " has '" + raw + "', which is not host:port: list each"
                        + " worker's rpc-server as host:port (its -H and -p; rpc-server listens on 50052 by default),"
                        + " separated by commas.", Set.of(property));
            }
            Worker w = new Worker(host, port);
            if (workers.contains(w)) {
                throw new ConfigurationException(property + " lists " + w + " twice: each worker once.",
                        Set.of(property));
            }
            workers.add(w);
        }
        return new RpcWorkers(property, workers);
    }

    public boolean isEmpty() {
        return workers.isEmpty();
    }

    /** The value of llama-server's {@code --rpc}. */
    public String argument() {
        return String.join(",", workers.stream().map(Worker::toString).toList());
    }

    /** The workers that do not accept a TCP connection within {@code timeout} each (probed one after another). */
    public List<Worker> unreachable(Duration timeout) {
        List<Worker> down = new ArrayList<>();
        for (Worker w : workers) {
            if (!accepts(w, timeout)) {
                down.add(w);
            }
        }
        return down;
    }

    /** {@code RPC worker 10.0.0.2:50052 (quarkus.rocm.big.rpc-workers)}, for messages. */
    public String describe(List<Worker> some) {
        return (some.size() == 1 ? "RPC worker " : "RPC workers ")
                + String.join(", ", some.stream().map(Worker::toString).toList()) + " (" + property + ")";
    }

    /** What to do when workers cannot be reached, for messages. */
    public static String fix() {
        return "Start rpc-server there (install-llama-server.sh --backend rpc installs it beside llama-server; run it"
                + " with -H on the worker's private address and -p on the port listed), or check the network between"
                + " the hosts.";
    }

    private static boolean accepts(Worker w, Duration timeout) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(w.host(), w.port()), (int) Math.max(1, timeout.toMillis()));
            return true;
        } catch (IOException | IllegalArgumentException e) {
            return false; // refused, unreachable, timed out, or a name that does not resolve
        }
    }
}
