package io.quarkiverse.rocm.runtime.server.local;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.quarkiverse.rocm.runtime.process.LlamaServerProcess;
import io.quarkiverse.rocm.runtime.process.Orphans;
import io.quarkiverse.rocm.runtime.process.OutputLog;
import io.quarkiverse.rocm.runtime.rpc.RpcWorkers;
import io.quarkiverse.rocm.runtime.server.Endpoint;
import io.quarkiverse.rocm.runtime.server.ServerProbe;
import io.quarkiverse.rocm.runtime.server.ServerProps;
import io.quarkiverse.rocm.runtime.spec.LocalSpec;

/**
 * One attempt to bring a local llama-server up: wait for its RPC workers to accept connections (it aborts on one it
 * cannot reach), spawn it with its key file, watch that it makes progress (output) while it loads, and once it
 * listens ask {@code /health} until it is ready and {@code /props} once. What happens is told to its {@link Outcome}
 * (the server's state machine), which decides what follows.
 */
final class Launch {

    /** What an attempt came to. Called on the supervisor's threads, without the launch's locks. */
    interface Outcome {
        /** It still waits for workers, or it spawned {@code p}: whether the attempt is still wanted. */
        boolean current(Launch launch);

        void spawned(Launch launch, LlamaServerProcess p, List<String> command);

        void waiting(Launch launch, String who);

        void ready(Launch launch, LlamaServerProcess p, Endpoint endpoint, ServerProps props, long millis);

        /** It could not start at all; {@code p} (maybe null) must be stopped. */
        void failed(Launch launch, LlamaServerProcess p, String message, String why, boolean retry);
    }

    private static final Logger LOG = Logger.getLogger(Launch.class);
    private static final Duration PROGRESS_LOG_INTERVAL = Duration.ofSeconds(10);
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);
    /** How often a start looks again for RPC workers that do not accept connections yet. */
    private static final long WORKER_RETRY_MILLIS = 500;

    private final LocalSpec spec;
    private final PrivateFiles files;
    private final OutputLog output;
    private final ScheduledExecutorService timer;
    private final Executor probes;
    private final Outcome outcome;
    private final long waitStartNanos = System.nanoTime();
    private volatile String waitingFor;
    private ScheduledFuture<?> watchdog;
    private long startNanos;
    private long nextProgressLog;

    Launch(LocalSpec spec, PrivateFiles files, OutputLog output, ScheduledExecutorService timer, Executor probes,
            Outcome outcome) {
        this.spec = spec;
        this.files = files;
        this.output = output;
        this.timer = timer;
        this.probes = probes;
        this.outcome = outcome;
    }

    /** Begins the attempt, off the caller's thread. */
    void begin() {
        if (spec.rpcWorkers().isEmpty()) {
            timer.execute(this::spawn);
        } else {
            probes.execute(this::awaitWorkers);
        }
    }

    /** Stops watching (the server is ready, failed or stopping). */
    synchronized void done() {
        if (watchdog != null) {
            watchdog.cancel(false);
            watchdog = null;
        }
    }

    /**
     * Up to the startup timeout; then the start fails, or is retried with backoff for a model that had loaded before.
     * Runs on the probe pool: a worker behind a dead link takes the whole connect timeout.
     */
    private void awaitWorkers() {
        if (!outcome.current(this)) {
            return;
        }
        RpcWorkers workers = spec.rpcWorkers();
        List<RpcWorkers.Worker> down = workers.unreachable(Exits.WORKER_TIMEOUT);
        if (down.isEmpty()) {
            timer.execute(this::spawn);
            return;
        }
        String who = workers.describe(down);
        if (System.nanoTime() - waitStartNanos > spec.startupTimeout().toNanos()) {
            outcome.failed(this, null, "llama-server '" + spec.displayName() + "' cannot start: " + who
                    + " did not accept connections for " + spec.startupTimeout().toSeconds()
                    + " s (quarkus.rocm.startup-timeout). " + RpcWorkers.fix(), who + " unreachable", true);
            return;
        }
        if (waitingFor == null) {
            LOG.infof("llama-server '%s' waits for %s to accept connections", spec.displayName(), who);
        }
        waitingFor = who;
        outcome.waiting(this, who);
        timer.schedule(() -> probes.execute(this::awaitWorkers), WORKER_RETRY_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void spawn() {
        if (!outcome.current(this)) {
            return;
        }
        LlamaServerProcess p;
        List<String> command;
        synchronized (this) {
            startNanos = System.nanoTime();
            nextProgressLog = startNanos + PROGRESS_LOG_INTERVAL.toNanos();
            try {
                // a Unix domain socket in the private folder when the client can use one, else a loopback port
                String host = spec.unixSocket() ? files.socket().toString() : LocalServer.HOST;
                command = spec.command().launch(host, spec.port(), files.writeKey());
                Map<String, String> env = new HashMap<>(spec.environment());
                env.put(Orphans.OWNER_VARIABLE, Orphans.ownerTag());
                LOG.debugf("Starting %s", command);
                p = LlamaServerProcess.start(spec.displayName(), command, env, output);
            } catch (IOException | RuntimeException e) {
                outcome.failed(this, null, "cannot run " + spec.binary() + ": " + e.getMessage(), null, false);
                return;
            }
            LOG.infof("Starting llama-server '%s' (pid %d, %s, llama.cpp %s): %s", spec.displayName(), p.pid(),
                    spec.binary(), spec.binaryVersion(), spec.model().summary());
            watchdog = timer.scheduleWithFixedDelay(() -> watch(p), 200, 200, TimeUnit.MILLISECONDS);
        }
        outcome.spawned(this, p, command);
        p.listening().thenAccept(at -> {
            Endpoint endpoint = at.socket() != null ? Endpoint.unix(at.socket(), files.key(), p.pid())
                    : new Endpoint(LocalServer.HOST, at.port(), files.key(), p.pid());
            timer.execute(() -> checkHealth(p, endpoint, 0));
        });
    }

    /** Fails a start that makes no progress; logs progress of long loads. */
    private void watch(LlamaServerProcess p) {
        if (!outcome.current(this)) {
            done();
            return;
        }
        long now = System.nanoTime();
        if (now - p.lastOutputNanos() > spec.startupTimeout().toNanos()) {
            done();
            outcome.failed(this, p, "llama-server '" + spec.displayName() + "' made no progress for "
                    + spec.startupTimeout().toSeconds() + " s while starting (quarkus.rocm.startup-timeout"
                    + ", which resets with every line it logs). Last output:" + p.tail(10), null, false);
            return;
        }
        synchronized (this) {
            if (now - nextProgressLog > 0) {
                nextProgressLog += PROGRESS_LOG_INTERVAL.toNanos();
                List<String> lines = p.lastLines();
                LOG.infof("llama-server '%s' still loading after %d s: %s", spec.displayName(),
                        TimeUnit.NANOSECONDS.toSeconds(now - startNanos),
                        lines.isEmpty() ? "(no output yet)" : lines.get(lines.size() - 1));
            }
        }
    }

    private void checkHealth(LlamaServerProcess p, Endpoint at, int attempt) {
        if (!outcome.current(this) || !p.isAlive()) {
            return;
        }
        int status = ServerProbe.status(at, "/health", null, HEALTH_TIMEOUT);
        if (status == 200) {
            // one local call before requests are let in, so what the chat template can do is known when they come
            ServerProps props = ServerProbe.props(at, HEALTH_TIMEOUT).orElse(null);
            done();
            files.deleteKey(); // read at start; no need to leave the secret on disk
            outcome.ready(this, p, at, props, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
            return;
        }
        // 503 while loading: look again soon (the watchdog ends this if the server stalls or exits)
        long delay = Math.min(50L << Math.min(attempt, 4), 500);
        timer.schedule(() -> checkHealth(p, at, attempt + 1), delay, TimeUnit.MILLISECONDS);
    }
}
