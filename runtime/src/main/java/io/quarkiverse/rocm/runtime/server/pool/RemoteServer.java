package io.quarkiverse.rocm.runtime.server.pool;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.quarkiverse.rocm.runtime.process.DaemonThreads;
import io.quarkiverse.rocm.runtime.server.BalanceChoice;
import io.quarkiverse.rocm.runtime.server.Endpoint;
import io.quarkiverse.rocm.runtime.server.LifecycleServer;
import io.quarkiverse.rocm.runtime.server.ReplicaStatus;
import io.quarkiverse.rocm.runtime.server.Route;
import io.quarkiverse.rocm.runtime.server.ServerProps;
import io.quarkiverse.rocm.runtime.spec.RemoteSpec;

/**
 * A model served by remote llama-servers this application does not start ({@code urls}): READY while at least one
 * replica is in rotation, RESTARTING while none is; no process, so nothing to restart and no liveness problem of its
 * own (a replica that does not answer leaves the rotation). Each request is given its replica by the pool.
 */
public final class RemoteServer extends LifecycleServer {

    private static final Logger LOG = Logger.getLogger(RemoteServer.class);
    private static final ScheduledExecutorService TIMER = Executors.newScheduledThreadPool(1,
            DaemonThreads.named("rocm-replicas"));
    private static final ExecutorService PROBES = Executors.newCachedThreadPool(DaemonThreads.named("rocm-replica-probe"));

    private final RemoteSpec spec;
    private final ReplicaPool pool;
    private volatile Endpoint endpoint;

    public RemoteServer(RemoteSpec spec) {
        this.spec = spec;
        this.pool = new ReplicaPool(spec.displayName(), spec.pool(), spec.canaryInterval(), spec.canaryTimeout(),
                spec.restart(), TIMER, PROBES, this::replicasChanged);
    }

    @Override
    public RemoteSpec spec() {
        return spec;
    }

    /** The replicas and how requests are spread between them. */
    public ReplicaPool pool() {
        return pool;
    }

    /** A replica entered or left the rotation: READY while one is in it. */
    private void replicasChanged() {
        synchronized (lock) {
            if (in(State.STOPPING, State.STOPPED, State.FAILED)) {
                return;
            }
            int up = pool.inRotation();
            int all = pool.replicas().size();
            if (up > 0) {
                String why = up + " of " + all + " replicas in rotation"
                        + (up < all ? " (" + pool.problems() + ")" : "");
                if (state() != State.READY) {
                    endpoint = pool.replicas().get(0).endpoint(); // each request is given its replica by the pool
                    ready(endpoint, why);
                } else {
                    transition(State.READY, why);
                }
                return;
            }
            String why = "no replica answers: " + pool.problems();
            if (state() == State.READY) {
                LOG.warnf("Model '%s' has no replica in rotation: %s", spec.displayName(), pool.problems());
                unready(State.RESTARTING, why);
            } else {
                transition(state(), why);
            }
        }
    }

    @Override
    public CompletableFuture<Endpoint> start() {
        synchronized (lock) {
            if (in(State.STOPPED, State.FAILED)) {
                unready(State.STARTING, "probing " + pool.replicas().size() + " replicas");
                pool.start();
            }
            return whenReady();
        }
    }

    @Override
    public void stop() {
        synchronized (lock) {
            if (in(State.STOPPED, State.STOPPING)) {
                return;
            }
            transition(State.STOPPING, "stopping");
        }
        pool.stop();
        synchronized (lock) {
            end(State.STOPPED, "stopped", "llama-server '" + spec.displayName() + "' was stopped");
        }
    }

    @Override
    public Endpoint endpoint() {
        return state() == State.READY ? endpoint : null;
    }

    @Override
    public Route route(Supplier<byte[]> body) {
        return new PoolRoute(pool, body);
    }

    /** What the replicas said about themselves: they serve one model, so any that told. */
    @Override
    public Optional<ServerProps> props() {
        if (state() != State.READY) {
            return Optional.empty();
        }
        return pool.replicas().stream().filter(Replica::inRotation).map(Replica::props).filter(Objects::nonNull)
                .findFirst();
    }

    /** Replicas this application cannot restart: no liveness problem of its own unless it failed. */
    @Override
    public String livenessProblem() {
        return state() == State.FAILED ? "failed: " + reason() : null;
    }

    @Override
    public String readinessProblem() {
        return state() == State.READY ? null : reason();
    }

    @Override
    public long canaryLatencyMillis() {
        return -1; // each replica has its own (replicas())
    }

    @Override
    public List<? extends ReplicaStatus> replicas() {
        return pool.replicas();
    }

    @Override
    public long choices(BalanceChoice choice) {
        return pool.choices(choice);
    }

    @Override
    public boolean loadable() {
        return false;
    }

    @Override
    public String toString() {
        return "RemoteServer[" + spec.displayName() + ", " + state() + "]";
    }
}
