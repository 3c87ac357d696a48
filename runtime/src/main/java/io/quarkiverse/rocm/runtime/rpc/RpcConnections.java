package io.quarkiverse.rocm.runtime.rpc;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a running llama-server still holds its connection to each of its RPC workers, read from Linux's
 * {@code /proc/<pid>/net/tcp{,6}} for the sockets in {@code /proc/<pid>/fd}.
 * <p>
 * A worker cannot be probed while llama-server uses it: {@code rpc-server} serves one client at a time with a listen
 * backlog of one, so a probe's connection waits unaccepted and the next ones time out. llama-server itself only finds
 * out that a worker went away on its next request. The kernel knows at once: a worker that exits closes its side, and
 * llama-server's socket leaves {@code ESTABLISHED} ({@code CLOSE_WAIT}). A host that vanishes without closing
 * (power, cable) looks established until TCP gives up; the request that needs it then fails.
 */
public final class RpcConnections {

    private static final String ESTABLISHED = "01";

    private RpcConnections() {
    }

    /**
     * The workers of {@code pid}'s llama-server without an established connection from it, or empty when this system
     * cannot tell (no {@code /proc}, or the process is gone).
     */
    public static Optional<List<RpcWorkers.Worker>> lost(long pid, RpcWorkers workers) {
        Path proc = Path.of("/proc", Long.toString(pid));
        Set<String> sockets = socketInodes(proc.resolve("fd"));
        if (sockets == null) {
            return Optional.empty();
        }
        List<Connection> established = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            try {
                for (String line : Files.readAllLines(proc.resolve("net").resolve(table))) {
                    Connection c = Connection.parse(line);
                    if (c != null && c.state.equals(ESTABLISHED) && sockets.contains(c.inode)) {
                        established.add(c);
                    }
                }
            } catch (IOException e) {
                if (table.equals("tcp")) {
                    return Optional.empty(); // no IPv4 table: not a Linux /proc we can read
                } // no tcp6: IPv6 disabled
            }
        }
        List<RpcWorkers.Worker> lost = new ArrayList<>();
        for (RpcWorkers.Worker w : workers.workers()) {
            if (established.stream().noneMatch(c -> c.remotePort == w.port() && addresses(w.host()).contains(c.remote))) {
                lost.add(w);
            }
        }
        return Optional.of(lost);
    }

    private static Set<String> socketInodes(Path fds) {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(fds)) {
            for (Path fd : dir) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed while we looked: not a connection any more
                }
            }
        } catch (IOException e) {
            return null;
        }
        return inodes;
    }

    private static Set<InetAddress> addresses(String host) {
        try {
            return Set.of(InetAddress.getAllByName(host)); // the JVM caches lookups
        } catch (UnknownHostException e) {
            return Set.of(); // a name that no longer resolves has no connection either
        }
    }

    /** One row of {@code /proc/net/tcp}: {@code sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...}. */
    private record Connection(InetAddress remote, int remotePort, String state, String inode) {

        static Connection parse(String line) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 10 || !f[0].endsWith(":")) {
                return null; // the header
            }
            int colon = f[2].indexOf(':');
            try {
                return new Connection(address(f[2].substring(0, colon)),
                        Integer.parseInt(f[2].substring(colon + 1), 16), f[3], f[9]);
            } catch (RuntimeException | UnknownHostException e) {
                return null;
            }
        }

        /** The kernel writes each 32-bit word of the address in host (little-endian) order. */
        private static InetAddress address(String hex) throws UnknownHostException {
            byte[] bytes = new byte[hex.length() / 2];
            for (int word = 0; word < bytes.length / 4; word++) {
                for (int i = 0; i < 4; i++) {
                    int at = (word * 4 + 3 - i) * 2;
                    bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
                }
            }
            return InetAddress.getByAddress(bytes); // an IPv4-mapped IPv6 address comes back as IPv4
        }
    }
}
