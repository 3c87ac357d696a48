package io.quarkiverse.rocm.runtime.server.local;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.quarkiverse.rocm.runtime.process.LlamaServerProcess;
import io.quarkiverse.rocm.runtime.rpc.RpcConnections;
import io.quarkiverse.rocm.runtime.rpc.RpcWorkers;
import io.quarkiverse.rocm.runtime.server.Endpoint;
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.ServerProbe;
import io.quarkiverse.rocm.runtime.spec.LocalSpec;

/**
 * The liveness canary of a ready server: a periodic {@code GET /slots}, which llama-server's main loop answers (a
 * stopped, deadlocked or wedged server cannot), off the supervisor's timer. One that hangs longer than the timeout
 * counts as failed while it hangs. A model with RPC workers has llama-server's connections to them looked at too
 * ({@link RpcConnections}): llama-server itself only finds out it lost one on the next request.
 */
final class Canary {

    private final LocalSpec spec;
    private final ScheduledExecutorService timer;
    private final Executor probes;
    private ScheduledFuture<?> schedule;
    // results, read without a lock
    private volatile long startedNanos;
    private volatile boolean inFlight;
    private volatile String failure;
    private volatile long latencyMillis = -1;
    private volatile String workersFailure;

    Canary(LocalSpec spec, ScheduledExecutorService timer, Executor probes) {
        this.spec = spec;
        this.timer = timer;
        this.probes = probes;
    }

    /** Probes the server {@code pid} at {@code at} (with its key) every canary interval, from now on. */
    synchronized void start(Endpoint at, long pid) {
        stop();
        failure = null;
        workersFailure = null;
        inFlight = false;
        long every = spec.canaryInterval().toMillis();
        schedule = timer.scheduleWithFixedDelay(() -> probe(at, pid), every, every, TimeUnit.MILLISECONDS);
    }

    synchronized void stop() {
        if (schedule != null) {
            schedule.cancel(false);
            schedule = null;
        }
    }

    private void probe(Endpoint at, long pid) {
        if (inFlight) {
            return; // the previous probe still hangs: problem() reports it
        }
        inFlight = true;
        startedNanos = System.nanoTime();
        probes.execute(() -> {
            int status = ServerProbe.status(at, "/slots", at.apiKey(), spec.canaryTimeout());
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
            if (status == 200) {
                failure = null;
                latencyMillis = ms;
            } else {
                failure = status < 0 ? "GET /slots got no answer within " + spec.canaryTimeout().toMillis() + " ms"
                        : "GET /slots answered " + status;
            }
            if (!spec.rpcWorkers().isEmpty()) {
                List<RpcWorkers.Worker> lost = RpcConnections.lost(pid, spec.rpcWorkers()).orElse(List.of());
                workersFailure = lost.isEmpty() ? null
                        : "llama-server lost its connection to " + spec.rpcWorkers().describe(lost)
                                + ": the worker exited or closed it, and the next request would fail. "
                                + RpcWorkers.fix();
            }
            inFlight = false;
        });
    }

    /**
     * Why a server in state {@code s} (for {@code reason}) with process {@code p} is not alive: failed, or when ready
     * its process gone or the canary's {@link #problem()}; null for one that is, or that is starting or restarting
     * (it is recovering).
     */
    String livenessProblem(ModelServer.State s, String reason, LlamaServerProcess p) {
        if (s == ModelServer.State.FAILED) {
            return "failed: " + reason;
        }
        if (s != ModelServer.State.READY) {
            return null;
        }
        return p == null || !p.isAlive() ? "the process is gone" : problem();
    }

    /** Why the last probe failed, or one hangs, or null when the server answers. */
    String problem() {
        if (inFlight && System.nanoTime() - startedNanos > spec.canaryTimeout().toNanos()) {
            return "GET /slots has not answered for " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos)
                    + " ms (stopped, deadlocked or a wedged GPU)";
        }
        return failure;
    }

    /** Why the last probe found RPC workers llama-server is no longer connected to, or null. */
    String workersProblem() {
        return workersFailure;
    }

    /** How long the last successful probe took, or -1. */
    long latencyMillis() {
        return latencyMillis;
    }
}
