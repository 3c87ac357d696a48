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
    private static final ExecutorService THREAD = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "rocm-spawner");
        t.setDaemon(true);
        return t;
    });
    private static volatile Boolean pdeathsig;

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

    private static boolean detectSetpriv() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path setpriv = Path.of(dir.isEmpty() ? "." : dir, "setpriv");
            if (Files.isExecutable(setpriv)) {
                try {
                    Process p = new ProcessBuilder(setpriv.toString(), "--help").redirectErrorStream(true).start();
                    String help = new String(p.getInputStream().readAllBytes());
                    p.waitFor();
                    return help.contains("--pdeathsig");
                } catch (IOException e) {
                    LOG.debugf(e, "cannot run %s", setpriv);
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }
}
