package io.quarkiverse.rocm.runtime.server;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.quarkiverse.rocm.runtime.process.LlamaServerException;

/**
 * The state machine both kinds of server share: the state and why, the listeners told of each transition, and the
 * future that the next readiness completes. Subclasses change it under their own lock; reads come from anywhere.
 */
public abstract class LifecycleServer implements ModelServer {

    private static final Logger LOG = Logger.getLogger(LifecycleServer.class);
    private static final java.util.concurrent.ExecutorService RESTARTS = java.util.concurrent.Executors
            .newCachedThreadPool(io.quarkiverse.rocm.runtime.process.DaemonThreads.named("rocm-restart"));

    /** The subclass's lock: its state changes, and whoever reads several fields together, hold it. */
    protected final Object lock = new Object();
    private final List<ModelServer.Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile ModelServer.State state = ModelServer.State.STOPPED;
    private volatile String reason = "not started";
    private volatile boolean everReady;
    private CompletableFuture<Endpoint> ready = new CompletableFuture<>();

    @Override
    public ModelServer.State state() {
        return state;
    }

    @Override
    public String reason() {
        return reason;
    }

    @Override
    public boolean hasBeenReady() {
        return everReady;
    }

    @Override
    public void addListener(ModelServer.Listener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(ModelServer.Listener listener) {
        listeners.remove(listener);
    }

    @Override
    public CompletableFuture<Endpoint> restart(String why) {
        LOG.infof("Restarting llama-server '%s': %s", spec().displayName(), why);
        return CompletableFuture.supplyAsync(() -> {
            stop();
            return start();
        }, RESTARTS).thenCompose(f -> f);
    }

    /** Moves to {@code to}, telling the listeners when the state changes (and on every failure). */
    protected void transition(ModelServer.State to, String why) {
        ModelServer.State from = state;
        state = to;
        reason = why;
        if (from != to || to == ModelServer.State.FAILED) {
            for (ModelServer.Listener l : listeners) {
                try {
                    l.onStateChange(this, from, to, why);
                } catch (RuntimeException e) {
                    LOG.warnf(e, "A state listener of llama-server '%s' failed", spec().displayName());
                }
            }
        }
    }

    /** Whether the state is one of {@code states}. */
    protected boolean in(ModelServer.State... states) {
        for (ModelServer.State s : states) {
            if (state == s) {
                return true;
            }
        }
        return false;
    }

    /** Ready at {@code endpoint}: whoever waits is told. */
    protected void ready(Endpoint endpoint, String why) {
        everReady = true;
        transition(ModelServer.State.READY, why);
        ready.complete(endpoint);
    }

    /** Not ready any more: those who ask from now on wait for the next readiness. */
    protected void unready(ModelServer.State to, String why) {
        if (ready.isDone()) {
            ready = new CompletableFuture<>();
        }
        transition(to, why);
    }

    /** Whoever waits learns it will not be ready: {@code to} is FAILED or STOPPED. */
    protected void end(ModelServer.State to, String why, String message) {
        transition(to, why);
        ready.completeExceptionally(new LlamaServerException(message));
    }

    /** A copy of the readiness future: a caller's timeout or cancel must not complete the server's own. */
    protected CompletableFuture<Endpoint> whenReady() {
        return ready.copy();
    }

    @Override
    public CompletableFuture<Endpoint> awaitReady(boolean startIfStopped) {
        synchronized (lock) {
            return awaitReady(startIfStopped, this::start);
        }
    }

    /**
     * A future of the ready endpoint: at once when ready; waits while starting or restarting; {@code start} runs for a
     * stopped server when {@code startIfStopped}; fails at once when the server failed or is stopping.
     */
    protected CompletableFuture<Endpoint> awaitReady(boolean startIfStopped,
            Supplier<CompletableFuture<Endpoint>> start) {
        String name = spec().displayName();
        switch (state) {
            case READY, STARTING, RESTARTING:
                return whenReady();
            case STOPPED:
                return startIfStopped ? start.get()
                        : CompletableFuture.failedFuture(
                                new LlamaServerException("llama-server '" + name + "' is stopped (" + reason + ")"));
            case FAILED:
                return CompletableFuture
                        .failedFuture(new LlamaServerException("llama-server '" + name + "' failed: " + reason));
            default:
                return CompletableFuture
                        .failedFuture(new LlamaServerException("llama-server '" + name + "' is stopping"));
        }
    }
}
