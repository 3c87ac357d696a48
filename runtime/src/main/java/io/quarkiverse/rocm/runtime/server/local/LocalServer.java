package io.quarkiverse.rocm.runtime.server.local;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.quarkiverse.rocm.runtime.gpu.GpuDevice;
import io.quarkiverse.rocm.runtime.hibernation.Hibernator;
import io.quarkiverse.rocm.runtime.process.DaemonThreads;
import io.quarkiverse.rocm.runtime.process.LlamaServerProcess;
import io.quarkiverse.rocm.runtime.process.OutputLog;
import io.quarkiverse.rocm.runtime.process.Redaction;
import io.quarkiverse.rocm.runtime.server.Endpoint;
import io.quarkiverse.rocm.runtime.server.LifecycleServer;
import io.quarkiverse.rocm.runtime.server.Route;
import io.quarkiverse.rocm.runtime.server.ServerProps;
import io.quarkiverse.rocm.runtime.spec.LocalSpec;

/**
 * Owns one model's local llama-server for its whole life: a small state machine
 * ({@code STOPPED -> STARTING -> READY -> (RESTARTING -> READY)* -> STOPPING -> STOPPED}, or {@code FAILED}) with the
 * reason of every transition. Everything else asks it for a ready {@link Endpoint} and never touches the process.
 * <p>
 * Readiness is event-driven: the server's "listening" log line (it binds after loading the model), then one
 * {@code /health} check. A start fails when the server exits or makes no progress (no output) for the startup
 * timeout; a crash after readiness is restarted at once, and with exponential backoff when it keeps crashing soon
 * after becoming ready ({@link CrashPolicy}). Pure Java: no CDI, no Vert.x.
 */
public final class LocalServer extends LifecycleServer {

    static final String HOST = "127.0.0.1";
    private static final Logger LOG = Logger.getLogger(LocalServer.class);
    /** Lines of output kept across restarts (the Dev UI's log page). */
    private static final int OUTPUT_LINES = 500;
    private static final ScheduledExecutorService TIMER = Executors.newScheduledThreadPool(1,
            DaemonThreads.named("rocm-supervisor"));
    private static final ExecutorService PROBES = Executors.newCachedThreadPool(DaemonThreads.named("rocm-canary"));

    private final LocalSpec spec;
    private final PrivateFiles files = new PrivateFiles();
    private final OutputLog output = new OutputLog(OUTPUT_LINES);
    private final CrashPolicy crashes;
    private final Canary canary;
    private final Exits exits;
    private final Route route = new ProcessRoute(this);
    private final Hibernation hibernation;
    private volatile int restarts;

    // guarded by lock
    private Launch launch;
    private LlamaServerProcess process;
    private Endpoint endpoint;
    private long readySinceNanos;
    private List<String> command = List.of();
    private ServerProps props;

    public LocalServer(LocalSpec spec) {
        this.spec = spec;
        this.crashes = new CrashPolicy(spec.restart());
        this.canary = new Canary(spec, TIMER, PROBES);
        this.exits = new Exits(spec.rpcWorkers(), PROBES);
        this.hibernation = new Hibernation(spec, PROBES);
    }

    @Override
    public Optional<Hibernator> hibernator() {
        return hibernation.hibernator();
    }

    @Override
    public LocalSpec spec() {
        return spec;
    }

    @Override
    public OutputLog output() {
        return output;
    }

    @Override
    public List<String> commandLine() {
        synchronized (lock) {
            return Redaction.commandLine(command);
        }
    }

    @Override
    public String lastExit() {
        return exits.last();
    }

    @Override
    public OptionalLong pid() {
        synchronized (lock) {
            return process != null && process.isAlive() ? OptionalLong.of(process.pid()) : OptionalLong.empty();
        }
    }

    @Override
    public Endpoint endpoint() {
        synchronized (lock) {
            return state() == State.READY ? endpoint : null;
        }
    }

    @Override
    public Route route(Supplier<byte[]> body) {
        return route;
    }

    @Override
    public Optional<ServerProps> props() {
        synchronized (lock) {
            return state() == State.READY ? Optional.ofNullable(props) : Optional.empty();
        }
    }

    @Override
    public List<GpuDevice> gpus() {
        return spec.gpus();
    }

    @Override
    public int restarts() {
        return restarts;
    }

    @Override
    public boolean loadable() {
        return true;
    }

    /**
     * How the process with {@code pid} ended, once it has: {@code "was killed by signal 9 (SIGKILL)"}. Completes at
     * once for a process this server no longer runs; never completes for one that lives on.
     */
    CompletableFuture<String> exitOf(long pid) {
        synchronized (lock) {
            return exits.of(pid, process, reason());
        }
    }

    @Override
    public CompletableFuture<Endpoint> start() {
        synchronized (lock) {
            if (in(State.STOPPED, State.FAILED)) {
                crashes.reset();
                unready(State.STARTING, "starting");
                launch();
            }
            return whenReady();
        }
    }

    @Override
    public void stop() {
        LlamaServerProcess p;
        Endpoint served;
        synchronized (lock) {
            if (in(State.STOPPED, State.STOPPING)) {
                return;
            }
            p = process;
            served = state() == State.READY ? endpoint : null;
            endLaunch();
            transition(State.STOPPING, "stopping");
        }
        if (p != null && p.isAlive()) {
            if (served != null) { // no request comes any more: its slots' caches are what its conversations left
                hibernation.save(served);
            }
            long t0 = System.nanoTime();
            int exit = p.stop(spec.stopTimeout());
            LOG.infof("Stopped llama-server '%s' (pid %d, exit %d) in %d ms", spec.displayName(), p.pid(), exit,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }
        synchronized (lock) {
            files.deleteAll();
            end(State.STOPPED, "stopped", "llama-server '" + spec.displayName() + "' was stopped");
        }
    }

    // ------------------------------------------------------------------ starting (a Launch's outcomes)

    /** A new attempt; the old one, if any, is no longer current. Caller holds the lock. */
    private void launch() {
        synchronized (lock) {
            if (!in(State.STARTING, State.RESTARTING)) {
                return;
            }
            Optional<String> cannot = hibernation.prepare();
            if (cannot.isPresent()) {
                fail(null, cannot.get());
                return;
            }
            launch = new Launch(spec, files, output, TIMER, PROBES, outcome);
            launch.begin();
        }
    }

    /** The state machine's side of a launch: each outcome counts only while its launch is the current one. */
    private final Launch.Outcome outcome = new Launch.Outcome() {

        @Override
        public boolean current(Launch l) {
            synchronized (lock) {
                return l == launch && in(State.STARTING, State.RESTARTING);
            }
        }

        @Override
        public void waiting(Launch l, String who) {
            synchronized (lock) {
                if (current(l)) {
                    transition(state(), "waiting for " + who);
                }
            }
        }

        @Override
        public void spawned(Launch l, LlamaServerProcess p, List<String> line) {
            synchronized (lock) {
                if (!current(l)) {
                    TIMER.execute(() -> p.stop(spec.stopTimeout()));
                    return;
                }
                process = p;
                command = List.copyOf(line);
            }
            p.onExit().thenRun(() -> {
                if (!askedFor(p)) { // a stop we asked for needs no description
                    exits.of(p).thenAccept(how -> exited(p, how));
                }
            });
        }

        @Override
        public void ready(Launch l, LlamaServerProcess p, Endpoint at, ServerProps fetched, long ms) {
            hibernation.restoreThen(at, () -> becameReady(l, p, at, fetched, ms)); // before its first request
        }

        private void becameReady(Launch l, LlamaServerProcess p, Endpoint at, ServerProps fetched, long ms) {
            synchronized (lock) {
                if (!current(l) || process != p || !p.isAlive()) {
                    return;
                }
                props = fetched;
                endpoint = at;
                crashes.ready();
                readySinceNanos = System.nanoTime();
                LocalServer.this.ready(endpoint, "ready in " + ms + " ms");
                LOG.infof("llama-server '%s' ready on %s in %d ms (pid %d, context %d x %d slots)",
                        spec.displayName(), at.socket() != null ? at.socket() : HOST + ":" + at.port(), ms, p.pid(),
                        spec.contextSize(), spec.parallel());
                canary.start(at, p.pid());
            }
        }

        @Override
        public void failed(Launch l, LlamaServerProcess p, String message, String why, boolean retry) {
            synchronized (lock) {
                if (!current(l)) {
                    return;
                }
                if (retry) {
                    retryOrFail(p, message, why);
                } else {
                    fail(p, message);
                }
            }
        }
    };

    /** Not failed, and when ready its process is alive and the last canary answered ({@link Canary}). */
    @Override
    public String livenessProblem() {
        LlamaServerProcess p;
        synchronized (lock) {
            p = process;
        }
        return canary.livenessProblem(state(), reason(), p);
    }

    /**
     * What {@link #livenessProblem()} says, or an RPC worker that does not accept connections (restarting llama-server
     * or the application cannot bring it back, so it is not a liveness problem).
     */
    @Override
    public String readinessProblem() {
        String problem = livenessProblem();
        return problem != null || state() != State.READY ? problem : canary.workersProblem();
    }

    @Override
    public long canaryLatencyMillis() {
        return canary.latencyMillis();
    }

    // ------------------------------------------------------------------ exits, crashes and restarts

    private void exited(LlamaServerProcess p, String how) {
        synchronized (lock) {
            if (askedFor(p)) {
                return;
            }
            endLaunch();
            exits.record(p, how);
            if (state() == State.READY) {
                // a crash of a working server: in-flight requests see their connection break; restart
                restarts++;
                String message = "llama-server '" + spec.displayName() + "' (pid " + p.pid() + ") " + how
                        + ". Last output:" + p.tail(10);
                if (!crashes.enabled()) {
                    fail(p, message + " Restarting is disabled (quarkus.rocm.restart.enabled=false).");
                    return;
                }
                Duration wait = crashes.afterCrash(restarts, System.nanoTime() - readySinceNanos);
                unready(State.RESTARTING, how + (wait.isZero() ? "" : "; restarting in " + wait.toMillis() + " ms"));
                LOG.warnf("%s Restarting it (restart %d%s).", message, restarts,
                        wait.isZero() ? ""
                                : ", in " + wait.toMillis() + " ms: it crashed " + (crashes.quickCrashes() + 1)
                                        + " times in a row soon after starting");
                TIMER.schedule(this::launch, wait.toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            retryOrFail(p, "llama-server '" + spec.displayName() + "' " + how + " before it was ready."
                    + ExitDiagnosis.hint(p.lastLines(), spec) + " Last output:" + p.tail(15), how);
        }
    }

    /** A start that did not come to readiness: retried with backoff for a model that loaded before, else failed. */
    private void retryOrFail(LlamaServerProcess p, String message, String how) {
        Optional<Duration> retry = crashes.afterFailedStart(hasBeenReady());
        if (retry.isEmpty()) {
            fail(p, message);
            return;
        }
        Duration wait = retry.get();
        transition(State.RESTARTING, how + "; retrying in " + wait.toMillis() + " ms");
        LOG.warnf("%s Retrying in %d ms (attempt %d of %d).", message, wait.toMillis(), crashes.nextAttempt(),
                crashes.maxAttempts());
        TIMER.schedule(this::launch, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the exit of {@code p} was asked for (or is of an older process). */
    private boolean askedFor(LlamaServerProcess p) {
        synchronized (lock) {
            return process != p || in(State.STOPPING, State.STOPPED, State.FAILED);
        }
    }

    /** Marks the server failed and fails whoever waits. Caller holds the lock. */
    private void fail(LlamaServerProcess p, String message) {
        endLaunch();
        files.deleteAll();
        canary.stop();
        end(State.FAILED, message, message);
        LOG.error(message);
        if (p != null && p.isAlive()) {
            TIMER.execute(() -> p.stop(spec.stopTimeout()));
        }
    }

    // ------------------------------------------------------------------ helpers (caller holds the lock)

    @Override
    protected void transition(State to, String why) {
        if (to != State.READY) {
            canary.stop();
        }
        super.transition(to, why);
    }

    private void endLaunch() {
        if (launch != null) {
            launch.done();
            launch = null;
        }
    }

    @Override
    public String toString() {
        return "LocalServer[" + spec.displayName() + ", " + state() + "]";
    }
}
