package io.quarkiverse.rocm.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A Linux network namespace joined to this host by a veth pair, for tests that need other hosts: a process started
 * in it listens on its own address ({@link #address()}), which this host reaches through the pair, and taking the
 * link down makes it unreachable the way a failed host or cable does. Made with {@code ip netns} (needs root); every
 * process started in it is killed with it, and with the JVM ({@code setpriv --pdeathsig KILL}).
 * <p>
 * Names carry this JVM's PID ({@code qr<pid>n<i>}), so namespaces left by a JVM that was killed are recognised and
 * removed by the next one.
 */
public final class NetworkNamespace implements AutoCloseable {

    private static final String PREFIX = "qr";
    /**
     * Starts every process: the parent-death signal follows the thread that forked the child, so a process started
     * from a short-lived test thread would die with that thread.
     */
    private static final ExecutorService SPAWNER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "netns-spawner");
        t.setDaemon(true);
        return t;
    });
    private static int counter;

    private final String name;
    private final String hostLink;
    private final String hostAddress;
    private final String address;
    private final List<Process> processes = new CopyOnWriteArrayList<>();

    private NetworkNamespace(String name, String hostLink, String hostAddress, String address) {
        this.name = name;
        this.hostLink = hostLink;
        this.hostAddress = hostAddress;
        this.address = address;
    }

    /** Why namespaces cannot be made here (not root, no {@code ip}), or empty when they can. */
    public static Optional<String> unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("network namespaces need root (ip netns add); this JVM runs as "
                    + System.getProperty("user.name"));
        }
        for (String tool : List.of("ip", "setpriv")) {
            if (run(List.of("sh", "-c", "command -v " + tool)).exit() != 0) {
                return Optional.of("'" + tool + "' is not installed (Debian: iproute2, util-linux)");
            }
        }
        Result probe = run(List.of("ip", "netns", "list"));
        if (probe.exit() != 0) {
            return Optional.of("'ip netns list' failed: " + probe.output().strip());
        }
        return Optional.empty();
    }

    /**
     * A new namespace with its loopback up, joined to this host by a veth pair on a /30 of {@code 10.231.0.0/16}
     * that no interface here uses yet.
     *
     * @throws IllegalStateException with ip's own message when it cannot be made
     */
    public static synchronized NetworkNamespace create() {
        removeStale();
        long pid = ProcessHandle.current().pid();
        int i = counter++;
        String name = PREFIX + pid + "n" + i;
        String hostLink = "qrh" + (pid % 100000) + "x" + i;
        String nsLink = "qrn" + (pid % 100000) + "x" + i;
        String used = run(List.of("ip", "-o", "addr")).output();
        int subnet = (int) ((pid * 16 + i) % 16000);
        String host;
        String inside;
        do {
            subnet = (subnet + 1) % 16000;
            int base = subnet * 4;
            host = "10.231." + (base / 256) + "." + (base % 256 + 1);
            inside = "10.231." + (base / 256) + "." + (base % 256 + 2);
        } while (used.contains(" " + host + "/") || used.contains(" " + inside + "/"));
        NetworkNamespace ns = new NetworkNamespace(name, hostLink, host, inside);
        try {
            ns.ip("netns", "add", name);
            ns.ip("link", "add", hostLink, "type", "veth", "peer", "name", nsLink);
            ns.ip("link", "set", nsLink, "netns", name);
            ns.ip("addr", "add", host + "/30", "dev", hostLink);
            ns.ip("link", "set", hostLink, "up");
            ns.ip("netns", "exec", name, "ip", "addr", "add", inside + "/30", "dev", nsLink);
            ns.ip("netns", "exec", name, "ip", "link", "set", nsLink, "up");
            ns.ip("netns", "exec", name, "ip", "link", "set", "lo", "up");
        } catch (IllegalStateException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /**
     * This namespace in one string ({@link #attach(String)} takes it back): for code in another class loader, such
     * as a Quarkus application under test, which sees its own copy of this class.
     */
    public String describe() {
        return String.join(",", name, hostLink, hostAddress, address);
    }

    /** A namespace that {@link #create()} made, from its {@link #describe()}; its creator still removes it. */
    public static NetworkNamespace attach(String description) {
        String[] p = description.split(",");
        if (p.length != 4) {
            throw new IllegalArgumentException("not a namespace description: " + description);
        }
        return new NetworkNamespace(p[0], p[1], p[2], p[3]);
    }

    /** The namespace's name ({@code ip netns exec NAME ...}). */
    public String name() {
        return name;
    }

    /** The namespace's address, where its processes listen and this host reaches them. */
    public String address() {
        return address;
    }

    /** This host's end of the pair, which processes in the namespace reach. */
    public String hostAddress() {
        return hostAddress;
    }

    /**
     * Starts {@code command} in the namespace, its output appended to {@code log}. It dies with the namespace, on
     * {@link #kill(Process)}, or with this JVM.
     */
    public Process start(List<String> command, Path log) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name, "setpriv", "--pdeathsig", "KILL"));
        full.addAll(command);
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            Process p = SPAWNER.submit(pb::start).get();
            processes.add(p);
            return p;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + command, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    /** Kills a process started here (SIGKILL, as a crash or a lost host would end it) and waits for it. */
    public void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        processes.remove(p);
    }

    /** Kills every process in the namespace, whoever started it (SIGKILL). */
    public void killAll() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        killAll(name);
        processes.clear();
    }

    /** Takes this host's end of the link down: the namespace is unreachable, its processes keep running. */
    public void linkDown() {
        ip("link", "set", hostLink, "down");
    }

    /** Brings the link back up. */
    public void linkUp() {
        ip("link", "set", hostLink, "up");
    }

    /** Kills what runs in the namespace and removes it with its link. Never throws. */
    @Override
    public void close() {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        killAll(name);
        run(List.of("ip", "netns", "del", name));
        run(List.of("ip", "link", "del", hostLink));
        for (Process p : processes) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
    }

    @Override
    public String toString() {
        return "netns " + name + " (" + address + ")";
    }

    private void ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Result r = run(command);
        if (r.exit() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + r.exit() + "): "
                    + r.output().strip());
        }
    }

    /** Removes the namespaces of JVMs that are gone (their processes with them). */
    private static void removeStale() {
        for (String line : run(List.of("ip", "netns", "list")).output().lines().toList()) {
            String ns = line.split(" ")[0];
            if (!ns.startsWith(PREFIX) || ns.indexOf('n', PREFIX.length()) < 0) {
                continue;
            }
            String owner = ns.substring(PREFIX.length(), ns.indexOf('n', PREFIX.length()));
            if (owner.chars().allMatch(Character::isDigit) && !owner.isEmpty()
                    && ProcessHandle.of(Long.parseLong(owner)).isEmpty()) {
                killAll(ns);
                run(List.of("ip", "netns", "del", ns));
            }
        }
    }

    private static void killAll(String ns) {
        for (String pid : run(List.of("ip", "netns", "pids", ns)).output().lines().map(String::strip)
                .filter(s -> !s.isEmpty()).toList()) {
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, String.join(" ", command) + " did not finish within 30 s");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
