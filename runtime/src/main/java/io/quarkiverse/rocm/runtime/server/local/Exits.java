package io.quarkiverse.rocm.runtime.server.local;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import io.quarkiverse.rocm.runtime.process.LlamaServerProcess;
import io.quarkiverse.rocm.runtime.rpc.RpcWorkers;

/**
 * How a model's llama-server processes ended: each process's exit described once (with RPC workers that probes them,
 * up to a second each) and shared by the supervisor and every request the exit broke, and the last few kept by pid
 * (a request that broke asks after its restart may already have happened).
 */
final class Exits {

    /** How long one RPC worker may take to accept a connection. */
    static final Duration WORKER_TIMEOUT = Duration.ofSeconds(1);

    private final RpcWorkers workers;
    private final Executor probes;
    private final Map<Long, String> byPid = new LinkedHashMap<>(8, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
            return size() > 8;
        }
    };
    private LlamaServerProcess describedProcess;
    private CompletableFuture<String> description;
    private String last;

    Exits(RpcWorkers workers, Executor probes) {
        this.workers = workers;
        this.probes = probes;
    }

    /** How {@code p} ended, described once; a copy, so that a caller's timeout leaves it alone. */
    synchronized CompletableFuture<String> of(LlamaServerProcess p) {
        if (describedProcess != p) {
            describedProcess = p;
            description = p.onExit().thenApplyAsync(code -> describe(p, code), probes);
        }
        return description.copy();
    }

    /**
     * How the process {@code pid} ended, once it has; {@code current} is the process the server runs now, and
     * {@code reason} its state's reason, for a process it no longer knows.
     */
    CompletableFuture<String> of(long pid, LlamaServerProcess current, String reason) {
        String known = known(pid);
        if (known != null) { // it ended and, a restart being quick, another process may run already
            return CompletableFuture.completedFuture(known);
        }
        if (current == null || current.pid() != pid) {
            return CompletableFuture.completedFuture("exited (" + reason + ")");
        }
        return of(current);
    }

    /** Keeps how {@code p} ended (it was not stopped on purpose). */
    synchronized void record(LlamaServerProcess p, String how) {
        last = "pid " + p.pid() + " " + how;
        byPid.put(p.pid(), how);
    }

    /** How the process {@code pid} ended, if it is one of the last few that did. */
    synchronized String known(long pid) {
        return byPid.get(pid);
    }

    /** How the last process that was not stopped on purpose ended, or null. */
    synchronized String last() {
        return last;
    }

    /** How a process ended, in words, with the RPC workers that went away when there are. May block briefly. */
    private String describe(LlamaServerProcess p, int code) {
        String how = ExitDiagnosis.describe(code);
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
}
