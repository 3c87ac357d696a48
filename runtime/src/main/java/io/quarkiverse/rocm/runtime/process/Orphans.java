package io.quarkiverse.rocm.runtime.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

/**
 * Finds and stops llama-server processes left behind by an earlier run of an application that died without
 * stopping them (when {@code setpriv} was missing, for example).
 * <p>
 * Every child is started with {@value #OWNER_VARIABLE}{@code =<jvm pid>:<jvm start time>} in its environment. A
 * process is only ever stopped if its own environment carries that tag (so a reused PID is never mistaken for ours)
 * and the JVM the tag names is gone (its PID is free or now belongs to a process started at another time).
 */
public final class Orphans {

    /** The environment variable that tags the processes this extension starts. */
    public static final String OWNER_VARIABLE = "QUARKUS_ROCM_OWNER";
    private static final Logger LOG = Logger.getLogger(Orphans.class);

    private final Path proc;

    public Orphans(Path proc) {
        this.proc = proc;
    }

    /** The tag of this JVM: {@code pid:start-time}. */
    public static String ownerTag() {
        long pid = ProcessHandle.current().pid();
        return pid + ":" + new Orphans(Path.of("/proc")).startTime(pid).orElse(0);
    }

    /** A tagged process whose owner is gone. */
    public record Orphan(long pid, String owner, String command) {
    }

    /** The tagged processes whose owning JVM no longer exists. */
    public List<Orphan> find() {
        List<Orphan> found = new ArrayList<>();
        if (!Files.isDirectory(proc)) {
            return found;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc, "[0-9]*")) {
            for (Path entry : entries) {
                long pid;
                try {
                    pid = Long.parseLong(entry.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                Optional<String> owner = ownerOf(pid);
                if (owner.isPresent() && !ownerAlive(owner.get())) {
                    found.add(new Orphan(pid, owner.get(), command(pid)));
                }
            }
        } catch (IOException e) {
            LOG.warnf(e, "Cannot list %s: llama-server processes left behind by a killed application cannot be found", proc);
        }
        return found;
    }

    /** Stops every orphan: SIGTERM, then SIGKILL after {@code graceMillis}. Returns how many were stopped. */
    public int reap(long graceMillis) {
        int n = 0;
        for (Orphan o : find()) {
            Optional<ProcessHandle> handle = ProcessHandle.of(o.pid);
            // check again right before signalling: the tag must still be there
            if (handle.isEmpty() || !ownerOf(o.pid).equals(Optional.of(o.owner))) {
                continue;
            }
            LOG.warnf("Stopping llama-server pid %d left behind by an application that is gone (owner %s): %s", o.pid,
                    o.owner, o.command);
            ProcessHandle h = handle.get();
            h.destroy();
            try {
                h.onExit().get(graceMillis, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
            n++;
        }
        return n;
    }

    Optional<String> ownerOf(long pid) {
        byte[] environ;
        try {
            environ = Files.readAllBytes(proc.resolve(Long.toString(pid)).resolve("environ"));
        } catch (IOException | SecurityException e) {
            return Optional.empty(); // gone, or another user's process: never ours
        }
        String prefix = OWNER_VARIABLE + "=";
        for (String var : new String(environ, StandardCharsets.UTF_8).split("\0")) {
            if (var.startsWith(prefix)) {
                return Optional.of(var.substring(prefix.length()));
            }
        }
        return Optional.empty();
    }

    boolean ownerAlive(String owner) {
        int colon = owner.indexOf(':');
        if (colon < 0) {
            return true; // not our format: leave it alone
        }
        try {
            long pid = Long.parseLong(owner.substring(0, colon));
            long start = Long.parseLong(owner.substring(colon + 1));
            OptionalLong actual = startTime(pid);
            return actual.isPresent() && actual.getAsLong() == start;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** Field 22 of {@code /proc/PID/stat}: the start time in clock ticks since boot. */
    OptionalLong startTime(long pid) {
        try {
            String stat = Files.readString(proc.resolve(Long.toString(pid)).resolve("stat"));
            // the command name (field 2) may hold spaces and parentheses: count fields after the last ')'
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return OptionalLong.of(Long.parseLong(rest[19]));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    private String command(long pid) {
        try {
            return new String(Files.readAllBytes(proc.resolve(Long.toString(pid)).resolve("cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ').trim();
        } catch (IOException e) {
            return "?";
        }
    }
}
