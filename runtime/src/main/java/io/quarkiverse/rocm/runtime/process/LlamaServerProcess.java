package io.quarkiverse.rocm.runtime.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

/**
 * One running llama-server process: started so that it dies with the JVM, its output forwarded line by line to the
 * {@code llama-server} log category (and watched for the port it listens on), its exit seen at once, stopped with
 * SIGTERM, a grace period, then SIGKILL of the whole process tree.
 * <p>
 * No CDI, no HTTP: the supervisor ({@code ModelServer}) decides what happens with it.
 */
public final class LlamaServerProcess {

    /** The category llama-server's own output is logged under. */
    public static final String LOG_CATEGORY = "llama-server";
    private static final Logger LOG = Logger.getLogger(LlamaServerProcess.class);
    private static final Pattern LISTENING = Pattern.compile("listening on https?://([^\\s:/]+|\\[[^]]+]):(\\d+)");
    private static final Pattern LISTENING_UNIX = Pattern.compile("listening on unix://(\\S+)");
    // "0.00.029.640 I srv  llama_server: model loaded": elapsed time, level letter, message
    private static final Pattern LINE = Pattern.compile("^\\d+\\.\\d+\\.\\d+\\.\\d+ ([DIWEN]) (.*)$");
    private static final int KEPT_LINES = 40;

    private final String name;
    private final Process process;
    private final Logger serverLog;
    private final CompletableFuture<Listening> listening = new CompletableFuture<>();
    private final CompletableFuture<Void> outputDrained = new CompletableFuture<>();
    private final ArrayDeque<String> lastLines = new ArrayDeque<>(KEPT_LINES);
    private final OutputLog output;
    private volatile long lastOutputNanos = System.nanoTime();

    private LlamaServerProcess(String name, Process process, OutputLog output) {
        this.name = name;
        this.process = process;
        this.output = output;
        this.serverLog = Logger.getLogger(LOG_CATEGORY + "." + name);
        Thread pump = new Thread(this::pump, "llama-server-" + name + "-output");
        pump.setDaemon(true);
        pump.setContextClassLoader(LlamaServerProcess.class.getClassLoader()); // see DaemonThreads
        pump.start();
        process.onExit().thenRun(() -> listening.completeExceptionally(new IllegalStateException("exited")));
    }

    /**
     * Starts llama-server.
     *
     * @param name the model's name, used for the log category {@code llama-server.<name>} and thread names
     * @param command the binary and its arguments
     * @param environment added to this JVM's environment
     * @param output where every line is appended too (the model's output across restarts)
     */
    public static LlamaServerProcess start(String name, List<String> command, Map<String, String> environment,
            OutputLog output) throws IOException {
        return new LlamaServerProcess(name, Spawner.start(command, environment), output);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Completes with the exit code when the process ends, however it ends, once its last output lines are read (so
     * that an error can quote them; at most 2 s more, in case a descendant keeps the pipe open).
     */
    public CompletableFuture<Integer> onExit() {
        return process.onExit().thenCompose(p -> outputDrained.copy().completeOnTimeout(null, 2, TimeUnit.SECONDS))
                .thenApply(v -> process.exitValue());
    }

    /**
     * Where llama-server listens: a TCP port, or a Unix domain socket's path.
     *
     * @param port the TCP port, or 0 for a socket
     * @param socket the socket's path, or null for TCP
     */
    public record Listening(int port, String socket) {
    }

    /** Completes with where llama-server listens once it logs that it does (after loading the model). */
    public CompletableFuture<Listening> listening() {
        return listening;
    }

    /** Nanotime of the last output line: how a stalled load is told from a slow one. */
    public long lastOutputNanos() {
        return lastOutputNanos;
    }

    /** The last lines of output, oldest first. */
    public List<String> lastLines() {
        synchronized (lastLines) {
            return new ArrayList<>(lastLines);
        }
    }

    /** The last lines, indented for an error message. */
    public String tail(int lines) {
        List<String> all = lastLines();
        List<String> tail = all.subList(Math.max(0, all.size() - lines), all.size());
        return tail.isEmpty() ? "(no output)" : "\n    " + String.join("\n    ", tail);
    }

    /**
     * Stops the process and its descendants: SIGTERM, up to {@code grace} to exit, then SIGKILL. Returns the exit
     * code. Restores the interrupt flag if interrupted (the process is then killed at once).
     */
    public int stop(Duration grace) {
        List<ProcessHandle> descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("llama-server '%s' (pid %d) did not exit within %s of SIGTERM: killing it", name, pid(), grace);
                kill(descendants);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(descendants);
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private void kill(List<ProcessHandle> descendants) {
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lastOutputNanos = System.nanoTime();
                synchronized (lastLines) {
                    if (lastLines.size() == KEPT_LINES) {
                        lastLines.removeFirst();
                    }
                    lastLines.addLast(line);
                }
                output.append(line);
                log(line);
                if (!listening.isDone()) {
                    Matcher m = LISTENING.matcher(line);
                    Matcher unix = LISTENING_UNIX.matcher(line);
                    if (m.find()) {
                        listening.complete(new Listening(Integer.parseInt(m.group(2)), null));
                    } else if (unix.find()) {
                        listening.complete(new Listening(0, unix.group(1)));
                    }
                }
            }
        } catch (IOException e) {
            // the stream closes when the process dies: nothing was lost that the exit code does not tell
            LOG.debugf(e, "output of llama-server '%s' closed", name);
        } finally {
            outputDrained.complete(null);
        }
    }

    /**
     * Logs one line at the level llama-server gave it. Every request makes llama-server log a few lines at level I,
     * which go to DEBUG: they cost nothing more than a look at the level letter unless DEBUG is on.
     */
    private void log(String line) {
        char level = levelOf(line);
        if (level == 'E') {
            serverLog.error(message(line));
        } else if (level == 'W') {
            serverLog.warn(message(line));
        } else if (serverLog.isDebugEnabled()) {
            serverLog.debug(level == 0 ? line : message(line));
        }
    }

    /** The level letter of a "0.00.029.640 I srv ..." line, or 0 for a line without one. */
    static char levelOf(String line) {
        int space = line.indexOf(' ');
        if (space < 7 || space + 2 >= line.length() || line.charAt(space + 2) != ' ' || !Character.isDigit(line.charAt(0))) {
            return 0;
        }
        char c = line.charAt(space + 1);
        return c == 'D' || c == 'I' || c == 'W' || c == 'E' || c == 'N' ? c : 0;
    }

    private static String message(String line) {
        Matcher m = LINE.matcher(line);
        return m.matches() ? m.group(2) : line;
    }

    @Override
    public String toString() {
        return "llama-server '" + name + "' (pid " + pid() + ")";
    }
}
