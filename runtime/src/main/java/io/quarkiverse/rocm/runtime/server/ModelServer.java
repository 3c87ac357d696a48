package io.quarkiverse.rocm.runtime.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.quarkiverse.rocm.runtime.process.DaemonThreads;
import io.quarkiverse.rocm.runtime.process.LlamaServerException;
import io.quarkiverse.rocm.runtime.process.LlamaServerProcess;
import io.quarkiverse.rocm.runtime.process.Orphans;
import io.quarkiverse.rocm.runtime.process.OutputLog;
import io.quarkiverse.rocm.runtime.process.Redaction;

/**
 * Owns one model's llama-server for its whole life: a small state machine
 * ({@code STOPPED -> STARTING -> READY -> (RESTARTING -> READY)* -> STOPPING -> STOPPED}, or {@code FAILED}) with the
 * reason of every transition. Everything else asks it for a ready {@link Endpoint} and never touches the process.
 * <p>
 * Readiness is event-driven: the server's "listening" log line (it binds after loading the model), then one
 * {@code /health} check. A start fails when the server exits or makes no progress (no output) for the startup
 * timeout; a crash after readiness is restarted at once, and with exponential backoff when it keeps crashing soon
 * after becoming ready. Pure Java: no CDI, no Vert.x.
 */
public final class ModelServer {

    /** The lifecycle states. */
    public enum State {
        STOPPED,
        STARTING,
        READY,
        RESTARTING,
        FAILED,
        STOPPING
    }

    /**
     * Where a ready server listens, and the key it requires.
     *
     * @param pid the local process, or -1 for a remote replica
     * @param replica the remote replica's URL, or null for a local server
     * @param ssl whether it speaks HTTPS
     * @param basePath a path prefix before llama-server's own paths (a replica behind a gateway), or empty
     */
    public record Endpoint(String host, int port, String apiKey, long pid, String replica, boolean ssl,
            String basePath) {

        /** A local llama-server. */
        public Endpoint(String host, int port, String apiKey, long pid) {
            this(host, port, apiKey, pid, null, false, "");
        }

        public String baseUrl() {
            return replica != null ? replica : "http://" + host + ":" + port;
        }
    }

    /** Observes state changes (health, metrics, logs). Called without locks held; must not block. */
    public interface Listener {
        void onStateChange(ModelServer server, State from, State to, String reason);
    }

    static final String HOST = "127.0.0.1";
    private static final Logger LOG = Logger.getLogger(ModelServer.class);
    private static final Duration PROGRESS_LOG_INTERVAL = Duration.ofSeconds(10);
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);
    /** How long one RPC worker may take to accept a connection, and how often a start looks again. */
    private static final Duration WORKER_TIMEOUT = Duration.ofSeconds(1);
    private static final long WORKER_RETRY_MILLIS = 500;
    /** Lines of output kept across restarts (the Dev UI's log page). */
    private static final int OUTPUT_LINES = 500;
    private static final ScheduledExecutorService TIMER = Executors.newScheduledThreadPool(1,
            DaemonThreads.named("rocm-supervisor"));

    private static final java.util.concurrent.ExecutorService PROBES = Executors
            .newCachedThreadPool(DaemonThreads.named("rocm-canary"));

    private final ServerSpec spec;
    private final String apiKey;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final OutputLog output = new OutputLog(OUTPUT_LINES);
    private final Object lock = new Object();

    // guarded by lock
    private State state = State.STOPPED;
    private String reason = "not started";
    private LlamaServerProcess process;
    private Endpoint endpoint;
    private CompletableFuture<Endpoint> ready = new CompletableFuture<>();
    private ScheduledFuture<?> watchdog;
    private boolean everReady;
    private int restarts;
    private final CrashPolicy crashes;
    private final Canary canary;
    private final ReplicaPool pool;
    private long readySinceNanos;
    private long startNanos;
    private long workersWaitNanos;
    /** How the last process anyone asked about ended, described once ({@link #described}). */
    private LlamaServerProcess describedProcess;
    private CompletableFuture<String> description;
    private long nextProgressLog;
    private Path keyFile;
    private List<String> command = List.of();
    private ServerProps props;
    private String lastExit;
    /** How the last few processes ended, by pid: a request that broke asks after its restart already happened. */
    private final Map<Long, String> exits = new LinkedHashMap<>(8, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
            return size() > 8;
        }
    };

    public ModelServer(ServerSpec spec) {
        this.spec = spec;
        byte[] key = new byte[24];
        new SecureRandom().nextBytes(key);
        this.apiKey = Base64.getUrlEncoder().withoutPadding().encodeToString(key);
        this.crashes = new CrashPolicy(spec.restart());
        this.canary = new Canary(spec, apiKey, TIMER, PROBES);
        this.pool = spec.pool() == null ? null
                : new ReplicaPool(spec.displayName(), spec.pool(), spec.canaryInterval(), spec.canaryTimeout(),
                        spec.restart(), TIMER, PROBES, this::replicasChanged);
    }

    /**
     * The remote replicas serving this model ({@code urls}), when this application does not start its llama-server.
     * Such a model is READY while at least one replica is in rotation, RESTARTING while none is, and has no process.
     */
    public Optional<ReplicaPool> pool() {
        return Optional.ofNullable(pool);
    }

    /** A replica entered or left the rotation: READY while one is in it. */
    private void replicasChanged() {
        synchronized (lock) {
            if (state == State.STOPPING || state == State.STOPPED || state == State.FAILED) {
                return;
            }
            int up = pool.inRotation();
            int all = pool.replicas().size();
            if (up > 0) {
                String why = up + " of " + all + " replicas in rotation"
                        + (up < all ? " (" + pool.problems() + ")" : "");
                if (state != State.READY) {
                    everReady = true;
                    readySinceNanos = System.nanoTime();
                    endpoint = pool.replicas().get(0).endpoint(); // each request is given its replica by the pool
                    transition(State.READY, why);
                    ready.complete(endpoint);
                } else {
                    transition(State.READY, why);
                }
                return;
            }
            String why = "no replica answers: " + pool.problems();
            if (state == State.READY) {
                ready = new CompletableFuture<>();
                LOG.warnf("Model '%s' has no replica in rotation: %s", spec.displayName(), pool.problems());
                transition(State.RESTARTING, why);
            } else {
                transition(state, why);
            }
        }
    }

    public ServerSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    /** The output of this model's llama-servers, across restarts. */
    public OutputLog output() {
        return output;
    }

    /** The command line of the last start, with secrets redacted; empty before the first start. */
    public List<String> commandLine() {
        synchronized (lock) {
            return Redaction.commandLine(command);
        }
    }

    /** How the last process that was not stopped on purpose ended ({@code pid 123 was killed by signal 9}), or null. */
    public String lastExit() {
        synchronized (lock) {
            return lastExit;
        }
    }

    /**
     * Stops the server and starts it again (an operator's action); the future completes when it is ready again.
     * Requests waiting for it fail with "stopped", as on any stop.
     */
    public CompletableFuture<Endpoint> restart(String why) {
        LOG.infof("Restarting llama-server '%s': %s", spec.displayName(), why);
        return CompletableFuture.supplyAsync(() -> {
            stop();
            return start();
        }, PROBES).thenCompose(f -> f);
    }

    public State state() {
        synchronized (lock) {
            return state;
        }
    }

    /** Why the server is in its state (the last transition's reason). */
    public String reason() {
        synchronized (lock) {
            return reason;
        }
    }

    /** The PID of the running process. */
    public OptionalLong pid() {
        synchronized (lock) {
            return process != null && process.isAlive() ? OptionalLong.of(process.pid()) : OptionalLong.empty();
        }
    }

    /** Where the server listens while it is ready. */
    public Endpoint endpoint() {
        synchronized (lock) {
            return state == State.READY ? endpoint : null;
        }
    }

    /** What the running server said about itself ({@code GET /props}) when it became ready. */
    public Optional<ServerProps> props() {
        synchronized (lock) {
            if (state != State.READY) {
                return Optional.empty();
            }
            if (pool != null) { // the replicas serve one model: any that told
                return pool.replicas().stream().filter(Replica::inRotation).map(Replica::props)
                        .filter(java.util.Objects::nonNull).findFirst();
            }
            return Optional.ofNullable(props);
        }
    }

    /**
     * Why this model cannot be asked to call tools (its chat template renders no tools, so llama-server would ignore
     * them), or empty when it can or it is not known yet.
     */
    public Optional<String> toolsProblem() {
        return props().filter(p -> !p.caps().canCallTools()).map(p -> "model '" + spec.alias() + "' cannot call tools:"
                + " its chat template does not support them (llama-server's /props: supports_tools="
                + p.caps().tools() + ", supports_tool_calls=" + p.caps().toolCalls() + "). Give it a template that does ("
                + spec.property("args") + "=--chat-template-file,/path/to/template.jinja) or use a model that can.");
    }

    /** Whether the model has been loaded at least once. */
    public boolean hasBeenReady() {
        synchronized (lock) {
            return everReady;
        }
    }

    /** The GPUs this server may use (empty without AMD GPUs). */
    public List<io.quarkiverse.rocm.runtime.gpu.GpuDevice> gpus() {
        return spec.gpus();
    }

    /** Unexpected exits that were followed by a restart. */
    public int restarts() {
        synchronized (lock) {
            return restarts;
        }
    }

    /**
     * How the process with {@code pid} ended, once it has: {@code "was killed by signal 9 (SIGKILL)"}. Completes at
     * once for a process this server no longer runs; never completes for one that lives on.
     */
    public CompletableFuture<String> exitOf(long pid) {
        LlamaServerProcess p;
        synchronized (lock) {
            p = process;
            String known = exits.get(pid);
            if (known != null) { // it ended and, a restart being quick, another process may run already
                return CompletableFuture.completedFuture(known);
            }
        }
        if (p == null || p.pid() != pid) {
            return CompletableFuture.completedFuture("exited (" + reason() + ")");
        }
        return described(p);
    }

    /**
     * How {@code p} ended, described once (with RPC workers that probes them, up to a second each) and shared by the
     * supervisor and every request the exit broke; a copy, so that a caller's timeout leaves it alone.
     */
    private CompletableFuture<String> described(LlamaServerProcess p) {
        synchronized (lock) {
            if (describedProcess != p) {
                describedProcess = p;
                description = p.onExit().thenApplyAsync(code -> describeExit(p, code), PROBES);
            }
            return description.copy();
        }
    }

    /** How a process ended, in words, with the RPC workers that went away when there are. May block briefly. */
    private String describeExit(LlamaServerProcess p, int code) {
        String how = ExitDiagnosis.describe(code);
        RpcWorkers workers = spec.rpcWorkers();
        if (workers.isEmpty()) {
            return how;
        }
        List<RpcWorkers.Worker> down = workers.unreachable(WORKER_TIMEOUT);
        if (!down.isEmpty()) {
            return how + ": " + workers.describe(down) + " does not accept connections";
        }
        String out = String.join("\n", p.lastLines());
        return out.contains("RPC server crashed") || out.contains("Failed to connect to")
                ? how + ": an RPC worker of " + workers.property() + " failed or was restarted"
                : how;
    }

    /**
     * Starts the server if it is stopped or failed; returns a future that completes when it is ready, or fails with
     * a {@link LlamaServerException} saying why it could not start.
     */
    public CompletableFuture<Endpoint> start() {
        synchronized (lock) {
            if (state == State.STOPPED || state == State.FAILED) {
                if (ready.isDone()) {
                    ready = new CompletableFuture<>();
                }
                crashes.reset();
                if (pool != null) {
                    transition(State.STARTING, "probing " + pool.replicas().size() + " replicas");
                    pool.start();
                    return ready.copy();
                }
                transition(State.STARTING, "starting");
                TIMER.execute(this::launch);
            }
            return ready.copy(); // a caller's timeout or cancel must not complete the server's own future
        }
    }

    /**
     * A future of the ready endpoint: completed at once when ready; waits while starting or restarting; starts a
     * stopped server when {@code startIfStopped}; fails at once when the server failed or is stopping.
     */
    public CompletableFuture<Endpoint> awaitReady(boolean startIfStopped) {
        synchronized (lock) {
            switch (state) {
                case READY, STARTING, RESTARTING:
                    return ready.copy(); // a caller's timeout or cancel must not complete the server's own future
                case STOPPED:
                    if (startIfStopped) {
                        return start();
                    }
                    return CompletableFuture.failedFuture(new LlamaServerException(
                            "llama-server '" + spec.displayName() + "' is stopped (" + reason + ")"));
                case FAILED:
                    return CompletableFuture.failedFuture(new LlamaServerException(
                            "llama-server '" + spec.displayName() + "' failed: " + reason));
                default:
                    return CompletableFuture.failedFuture(new LlamaServerException(
                            "llama-server '" + spec.displayName() + "' is stopping"));
            }
        }
    }

    /** Stops the server (SIGTERM, grace period, SIGKILL) and waits for it to exit. */
    public void stop() {
        LlamaServerProcess p;
        synchronized (lock) {
            if (state == State.STOPPED || state == State.STOPPING) {
                return;
            }
            p = process;
            cancelWatchdog();
            transition(State.STOPPING, "stopping");
        }
        if (pool != null) {
            pool.stop();
        }
        if (p != null && p.isAlive()) {
            long t0 = System.nanoTime();
            int exit = p.stop(spec.stopTimeout());
            LOG.infof("Stopped llama-server '%s' (pid %d, exit %d) in %d ms", spec.displayName(), p.pid(), exit,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }
        synchronized (lock) {
            deleteKeyFile();
            transition(State.STOPPED, "stopped");
            ready.completeExceptionally(
                    new LlamaServerException("llama-server '" + spec.displayName() + "' was stopped"));
        }
    }

    // ------------------------------------------------------------------ starting

    private void launch() {
        if (!spec.rpcWorkers().isEmpty()) {
            synchronized (lock) {
                if (state != State.STARTING && state != State.RESTARTING) {
                    return;
                }
                workersWaitNanos = System.nanoTime();
            }
            PROBES.execute(this::awaitWorkers);
            return;
        }
        spawn();
    }

    /**
     * Waits for every RPC worker to accept connections before llama-server is spawned (it aborts on one it cannot
     * reach), up to the startup timeout; then the start fails, or is retried with backoff for a model that had loaded
     * before. Runs on the probe pool: a worker behind a dead link takes the whole connect timeout.
     */
    private void awaitWorkers() {
        RpcWorkers workers = spec.rpcWorkers();
        List<RpcWorkers.Worker> down = workers.unreachable(WORKER_TIMEOUT);
        synchronized (lock) {
            if (state != State.STARTING && state != State.RESTARTING) {
                return;
            }
            if (down.isEmpty()) {
                TIMER.execute(this::spawn);
                return;
            }
            long waited = System.nanoTime() - workersWaitNanos;
            String who = workers.describe(down);
            if (waited > spec.startupTimeout().toNanos()) {
                String message = "llama-server '" + spec.displayName() + "' cannot start: " + who
                        + " did not accept connections for " + spec.startupTimeout().toSeconds()
                        + " s (quarkus.rocm.startup-timeout). " + RpcWorkers.fix();
                Optional<Duration> retry = crashes.afterFailedStart(everReady);
                if (retry.isPresent()) {
                    Duration wait = retry.get();
                    transition(State.RESTARTING, who + " unreachable; retrying in " + wait.toMillis() + " ms");
                    LOG.warnf("%s Retrying in %d ms (attempt %d of %d).", message, wait.toMillis(),
                            crashes.nextAttempt(), crashes.maxAttempts());
                    TIMER.schedule(this::launch, wait.toMillis(), TimeUnit.MILLISECONDS);
                } else {
                    fail(null, message);
                }
                return;
            }
            if (!reason.startsWith("waiting for")) {
                LOG.infof("llama-server '%s' waits for %s to accept connections", spec.displayName(), who);
            }
            transition(state, "waiting for " + who);
        }
        TIMER.schedule(() -> PROBES.execute(this::awaitWorkers), WORKER_RETRY_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void spawn() {
        LlamaServerProcess p;
        synchronized (lock) {
            if (state != State.STARTING && state != State.RESTARTING) {
                return;
            }
            startNanos = System.nanoTime();
            nextProgressLog = startNanos + PROGRESS_LOG_INTERVAL.toNanos();
            try {
                writeKeyFile();
                List<String> command = spec.command().launch(HOST, spec.port(), keyFile);
                Map<String, String> env = new HashMap<>(spec.environment());
                env.put(Orphans.OWNER_VARIABLE, Orphans.ownerTag());
                LOG.debugf("Starting %s", command);
                p = LlamaServerProcess.start(spec.displayName(), command, env, output);
                process = p;
                this.command = List.copyOf(command);
            } catch (IOException | RuntimeException e) {
                fail(null, "cannot run " + spec.binary() + ": " + e.getMessage());
                return;
            }
            LOG.infof("Starting llama-server '%s' (pid %d, %s, llama.cpp %s): %s", spec.displayName(), p.pid(),
                    spec.binary(), spec.binaryVersion(), spec.model().summary());
            watchdog = TIMER.scheduleWithFixedDelay(() -> watch(p), 200, 200, TimeUnit.MILLISECONDS);
        }
        p.onExit().thenRun(() -> {
            if (!askedFor(p)) { // a stop we asked for needs no description
                described(p).thenAccept(how -> exited(p, how));
            }
        });
        p.listeningPort().thenAccept(port -> TIMER.execute(() -> checkHealth(p, port, 0)));
    }

    /** Fails a start that makes no progress; logs progress of long loads. */
    private void watch(LlamaServerProcess p) {
        synchronized (lock) {
            if (process != p || (state != State.STARTING && state != State.RESTARTING)) {
                return;
            }
            long now = System.nanoTime();
            long silent = now - p.lastOutputNanos();
            if (silent > spec.startupTimeout().toNanos()) {
                String message = "llama-server '" + spec.displayName() + "' made no progress for "
                        + spec.startupTimeout().toSeconds() + " s while starting (quarkus.rocm.startup-timeout"
                        + ", which resets with every line it logs). Last output:" + p.tail(10);
                fail(p, message); // stops the process too
                return;
            }
            if (now - nextProgressLog > 0) {
                nextProgressLog += PROGRESS_LOG_INTERVAL.toNanos();
                List<String> lines = p.lastLines();
                LOG.infof("llama-server '%s' still loading after %d s: %s", spec.displayName(),
                        TimeUnit.NANOSECONDS.toSeconds(now - startNanos),
                        lines.isEmpty() ? "(no output yet)" : lines.get(lines.size() - 1));
            }
        }
    }

    private void checkHealth(LlamaServerProcess p, int port, int attempt) {
        int status = ServerProbe.status(HOST, port, "/health", null, HEALTH_TIMEOUT);
        // one local call before requests are let in, so what the chat template can do is known when they come
        ServerProps fetched = status == 200 ? ServerProbe.props(HOST, port, apiKey, HEALTH_TIMEOUT).orElse(null) : null;
        synchronized (lock) {
            if (process != p || (state != State.STARTING && state != State.RESTARTING) || !p.isAlive()) {
                return;
            }
            if (status == 200) {
                props = fetched;
                endpoint = new Endpoint(HOST, port, apiKey, p.pid());
                cancelWatchdog();
                deleteKeyFile(); // read at start; no need to leave the secret on disk
                everReady = true;
                crashes.ready();
                readySinceNanos = System.nanoTime();
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
                transition(State.READY, "ready in " + ms + " ms");
                LOG.infof("llama-server '%s' ready on %s:%d in %d ms (pid %d, context %d x %d slots)",
                        spec.displayName(), HOST, port, ms, p.pid(), spec.contextSize(), spec.parallel());
                canary.start(port, p.pid());
                ready.complete(endpoint);
                return;
            }
        }
        // 503 while loading: look again soon (the watchdog ends this if the server stalls or exits)
        long delay = Math.min(50L << Math.min(attempt, 4), 500);
        TIMER.schedule(() -> checkHealth(p, port, attempt + 1), delay, TimeUnit.MILLISECONDS);
    }

    /**
     * Whether the server works: not failed, and when ready its process is alive and the last canary answered (one
     * that hangs longer than the canary timeout counts as failed). A starting or restarting server is alive: it is
     * recovering.
     */
    public boolean alive() {
        return livenessProblem() == null;
    }

    /** Why the server is not alive, or null when it is. */
    public String livenessProblem() {
        State s;
        LlamaServerProcess p;
        synchronized (lock) {
            s = state;
            p = process;
        }
        if (s == State.FAILED) {
            return "failed: " + reason();
        }
        if (s != State.READY || pool != null) {
            return null; // recovering; or remote replicas, which this application cannot restart
        }
        if (p == null || !p.isAlive()) {
            return "the process is gone";
        }
        return canary.problem();
    }

    /**
     * Why the server cannot take requests although it is alive, or null: what {@link #livenessProblem()} says, or an
     * RPC worker that does not accept connections (restarting llama-server or the application cannot bring it back,
     * so it is not a liveness problem).
     */
    public String readinessProblem() {
        if (pool != null) {
            return state() == State.READY ? null : reason();
        }
        String problem = livenessProblem();
        return problem != null || state() != State.READY ? problem : canary.workersProblem();
    }

    /** How long the last successful canary took, or -1. */
    public long canaryLatencyMillis() {
        return canary.latencyMillis();
    }

    // ------------------------------------------------------------------ exits, crashes and restarts

    private void exited(LlamaServerProcess p, String how) {
        synchronized (lock) {
            if (askedFor(p)) {
                return;
            }
            cancelWatchdog();
            lastExit = "pid " + p.pid() + " " + how;
            exits.put(p.pid(), how);
            if (state == State.READY) {
                // a crash of a working server: in-flight requests see their connection break; restart
                restarts++;
                String message = "llama-server '" + spec.displayName() + "' (pid " + p.pid() + ") " + how
                        + ". Last output:" + p.tail(10);
                if (!crashes.enabled()) {
                    fail(p, message + " Restarting is disabled (quarkus.rocm.restart.enabled=false).");
                    return;
                }
                Duration wait = crashes.afterCrash(restarts, System.nanoTime() - readySinceNanos);
                ready = new CompletableFuture<>();
                transition(State.RESTARTING, how + (wait.isZero() ? "" : "; restarting in " + wait.toMillis() + " ms"));
                LOG.warnf("%s Restarting it (restart %d%s).", message, restarts,
                        wait.isZero() ? ""
                                : ", in " + wait.toMillis() + " ms: it crashed " + (crashes.quickCrashes() + 1)
                                        + " times in a row soon after starting");
                TIMER.schedule(this::launch, wait.toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            // exited while starting
            String message = "llama-server '" + spec.displayName() + "' " + how + " before it was ready."
                    + ExitDiagnosis.hint(p.lastLines(), spec) + " Last output:" + p.tail(15);
            Optional<Duration> retry = crashes.afterFailedStart(everReady);
            if (retry.isPresent()) {
                Duration wait = retry.get();
                transition(State.RESTARTING, how + "; retrying in " + wait.toMillis() + " ms");
                LOG.warnf("%s Retrying in %d ms (attempt %d of %d).", message, wait.toMillis(), crashes.nextAttempt(),
                        crashes.maxAttempts());
                TIMER.schedule(this::launch, wait.toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            fail(p, message);
        }
    }

    /** Whether the exit of {@code p} was asked for (or is of an older process). */
    private boolean askedFor(LlamaServerProcess p) {
        synchronized (lock) {
            return process != p || state == State.STOPPING || state == State.STOPPED || state == State.FAILED;
        }
    }

    /** Marks the server failed and fails whoever waits. Caller holds the lock. */
    private void fail(LlamaServerProcess p, String message) {
        cancelWatchdog();
        deleteKeyFile();
        transition(State.FAILED, message);
        LOG.error(message);
        ready.completeExceptionally(new LlamaServerException(message));
        if (p != null && p.isAlive()) {
            TIMER.execute(() -> p.stop(spec.stopTimeout()));
        }
    }

    // ------------------------------------------------------------------ helpers (caller holds the lock)

    private void transition(State to, String why) {
        if (to != State.READY) {
            canary.stop();
        }
        State from = state;
        state = to;
        reason = why;
        if (from != to || to == State.FAILED) {
            for (Listener l : listeners) {
                try {
                    l.onStateChange(this, from, to, why);
                } catch (RuntimeException e) {
                    LOG.warnf(e, "A state listener of llama-server '%s' failed", spec.displayName());
                }
            }
        }
    }

    private void cancelWatchdog() {
        if (watchdog != null) {
            watchdog.cancel(false);
            watchdog = null;
        }
    }

    private void writeKeyFile() throws IOException {
        if (keyFile == null) {
            Path dir = Files.createTempDirectory("quarkus-rocm-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            keyFile = Files.createFile(dir.resolve("api-key"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(keyFile, apiKey + "\n");
    }

    private void deleteKeyFile() {
        if (keyFile != null) {
            try {
                Files.deleteIfExists(keyFile);
                Files.deleteIfExists(keyFile.getParent());
            } catch (IOException e) {
                LOG.warnf("Cannot delete %s: %s", keyFile, e.getMessage());
            }
            keyFile = null;
        }
    }

    @Override
    public String toString() {
        return "ModelServer[" + spec.displayName() + ", " + state() + "]";
    }
}
