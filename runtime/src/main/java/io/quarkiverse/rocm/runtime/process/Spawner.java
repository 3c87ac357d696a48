package io.quarkiverse.rocm.runtime.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.jboss.logging.Logger;

/**
 * Starts child processes so that the kernel kills them when this JVM dies, even by SIGKILL (when no shutdown hook
 * runs): each child is wrapped in {@code setpriv --pdeathsig KILL}.
 * <p>
 * The parent-death signal follows the <em>thread</em> that forked the child, not the process: a child started from a
 * short-lived thread is killed as soon as that thread ends. So every child is started from one thread that lives as
 * long as the JVM.
 */
public final class Spawner {

    private static final Logger LOG = Logger.getLogger(Spawner.class);
    private static final ExecutorService THREAD = Executors.newSingleThreadExecutor(DaemonThreads.named("rocm-spawner"));
    private static volatile Boolean pdeathsig;
    private static volatile Boolean setsid;

    private Spawner() {
    }

    /** Whether children die with the JVM (util-linux {@code setpriv} with {@code --pdeathsig} is available). */
    public static boolean diesWithJvm() {
        Boolean p = pdeathsig;
        if (p == null) {
            p = pdeathsig = detectSetpriv();
            if (!p) {
                LOG.warn("'setpriv --pdeathsig' (util-linux) is not available: a llama-server outlives a JVM killed with"
                        + " SIGKILL until the next start of the application reaps it. Install util-linux to close this gap.");
            }
        }
        return p;
    }

    /**
     * Starts {@code command} with {@code environment} added to this JVM's, its output and error merged, wrapped so
     * that it dies with this JVM, from the long-lived spawner thread.
     */
    public static Process start(List<String> command, Map<String, String> environment) throws IOException {
        List<String> full = new ArrayList<>();
        if (diesWithJvm()) {
            full.addAll(List.of("setpriv", "--pdeathsig", "KILL", "--"));
        }
        if (hasSetsid()) {
            // a session of its own: a Ctrl+C in the terminal (or a signal to the JVM's process group) reaches only
            // the JVM, which then stops the server in order instead of seeing it "crash" and restarting it
            full.addAll(List.of("setsid", "--"));
        }
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(environment);
        CompletableFuture<Process> started = CompletableFuture.supplyAsync(() -> {
            try {
                return pb.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, THREAD);
        try {
            return started.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            started.thenAccept(Process::destroyForcibly);
            throw new IOException("interrupted while starting " + command.get(0), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw new IOException(e.getCause());
        }
    }

    private static boolean hasSetsid() {
        Boolean s = setsid;
        if (s == null) {
            s = setsid = onPath("setsid") != null;
        }
        return s;
    }

    private static Path onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static boolean detectSetpriv() {
        Path setpriv = onPath("setpriv");
        if (setpriv == null) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(setpriv.toString(), "--help").redirectErrorStream(true).start();
            String help = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return help.contains("--pdeathsig");
        } catch (IOException e) {
            LOG.warnf("Cannot run %s: %s", setpriv, e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
