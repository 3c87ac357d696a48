package io.quarkiverse.rocm.runtime.scheduling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

/**
 * Carries out the {@link Scheduler}'s decisions on its models: loads and unloads on the executor, with their counts and
 * listeners, and the idle timer that unloads a model after its keep-alive. Guarded by the scheduler's lock; when a
 * load or unload ends, the scheduler's line is served again.
 */
final class Residency {

    private static final Logger LOG = Logger.getLogger(Residency.class);

    private final Object lock;
    private final LongSupplier clock;
    private final Timer timer;
    private final Executor executor;
    private final Line line;
    /** Serves the line again (caller holds the lock); returns what to run once the lock is released. */
    private final Supplier<List<Runnable>> pump;
    private final List<LoadListener> listeners = new CopyOnWriteArrayList<>();
    private boolean closed;

    Residency(Object lock, LongSupplier clock, Timer timer, Executor executor, Line line,
            Supplier<List<Runnable>> pump) {
        this.pump = pump;
        this.lock = lock;
        this.clock = clock;
        this.timer = timer;
        this.executor = executor;
        this.line = line;
    }

    void addListener(LoadListener listener) {
        listeners.add(listener);
    }

    private void tell(Consumer<LoadListener> event) {
        listeners.forEach(event::accept);
    }

    /** No idle timer fires from now on. Caller holds the lock. */
    void close(Iterable<Entry> entries) {
        closed = true;
        entries.forEach(this::cancelIdleTimer);
    }

    void startLoad(Entry e, List<Runnable> after) {
        cancelIdleTimer(e);
        e.failure = null;
        e.loadStarted = clock.getAsLong();
        CompletableFuture<Void> loading = new CompletableFuture<>();
        e.loading = loading;
        int waiting = line.waiting(e);
        LOG.infof("Loading model '%s': %s", e.name(), e.loadAskedByPolicy && waiting <= 1 ? "asked for"
                : waiting + " request(s) wait for it");
        after.add(() -> executor.execute(() -> e.model.load().whenComplete((ok, failure) -> loaded(e, loading,
                failure))));
    }

    private void loaded(Entry e, CompletableFuture<Void> loading, Throwable failure) {
        if (failure == null) {
            e.model.measure();
        }
        List<Runnable> after;
        List<CompletableFuture<?>> failed = new ArrayList<>();
        Duration took;
        synchronized (lock) {
            if (e.loading != loading) {
                return; // cancelled meanwhile
            }
            e.loading = null;
            e.loadAskedByPolicy = false;
            took = Duration.ofNanos(clock.getAsLong() - e.loadStarted);
            if (failure == null) {
                e.loaded = true;
                e.loads++;
                e.loadNanos += took.toNanos();
                e.lastUsed = clock.getAsLong();
                scheduleIdleUnload(e);
            } else {
                e.failure = failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
                failed.addAll(line.drop(e));
            }
            after = pump.get();
        }
        if (failure == null) {
            long bytes = e.model.bytes();
            tell(l -> l.loaded(e.name(), took, bytes));
        }
        Throwable cause = e.failure;
        failed.forEach(f -> f.completeExceptionally(cause));
        after.forEach(Runnable::run);
        loading.complete(null);
    }

    /** Stops a server on the executor (once the lock is released: {@code after}); caller holds the lock. */
    CompletableFuture<Void> startUnload(Entry e, UnloadReason reason, String why, List<Runnable> after) {
        cancelIdleTimer(e);
        e.unloading = true;
        e.draining = false;
        CompletableFuture<?> wasLoading = e.loading;
        e.loading = null;
        LOG.infof("Unloading model '%s' (%s): %s", e.name(), reason.name().toLowerCase(), why);
        CompletableFuture<Void> done = new CompletableFuture<>();
        after.add(() -> executor.execute(() -> {
            try {
                e.model.unload();
            } finally {
                List<Runnable> next;
                synchronized (lock) {
                    e.unloading = false;
                    e.loaded = false;
                    e.unloads[reason.ordinal()]++;
                    next = pump.get();
                }
                tell(l -> l.unloaded(e.name(), reason));
                next.forEach(Runnable::run);
                if (wasLoading != null) {
                    wasLoading.cancel(false);
                }
                done.complete(null);
            }
        }));
        return done;
    }

    /**
     * A request's lease ended: when it was the model's last, the model is unloaded if its room is waited for, or its
     * idle timer starts, after the keep-alive the request asked for ({@code keepAlive}; null: the configured one)
     * unless a later {@code ask} asked otherwise.
     * Caller holds the lock; returns what to run once it is released.
     */
    List<Runnable> released(Entry e, KeepAlive keepAlive, long ask) {
        e.busy--;
        e.lastUsed = clock.getAsLong();
        if (ask > e.askedBy) {
            e.asked = keepAlive;
            e.askedBy = ask;
        }
        List<Runnable> after = new ArrayList<>();
        if (e.busy == 0) {
            List<String> loads = line.waitingLoads();
            if (e.draining && !loads.isEmpty()) {
                startUnload(e, UnloadReason.EVICTED, "its room is needed by " + String.join(", ", loads), after);
            } else {
                e.draining = false; // the load that needed its room was given up
                scheduleIdleUnload(e);
            }
        }
        after.addAll(pump.get());
        return after;
    }

    void scheduleIdleUnload(Entry e) {
        cancelIdleTimer(e);
        if (closed) {
            return;
        }
        Duration keepAlive = e.keepAlive();
        if (keepAlive == null || e.policy.pinned() || e.busy > 0 || !e.loaded) {
            return;
        }
        e.unloadAt = clock.getAsLong() + keepAlive.toNanos();
        long current = e.idleTimers;
        e.idleTimer = timer.schedule(() -> idle(e, current), keepAlive);
    }

    private void idle(Entry e, long timer) {
        List<Runnable> after = new ArrayList<>();
        synchronized (lock) {
            // a timer cancelled after its task was due still runs it: only the current one unloads
            if (closed || timer != e.idleTimers || e.idleTimer == null || e.busy > 0 || !e.loaded || e.unloading) {
                return;
            }
            e.idleTimer = null;
            startUnload(e, UnloadReason.IDLE, "idle for its keep-alive of " + e.keepAlive()
                    + (e.asked != null ? " (its last request's)" : ""), after);
        }
        after.forEach(Runnable::run);
    }

    void cancelIdleTimer(Entry e) {
        e.idleTimers++;
        if (e.idleTimer != null) {
            e.idleTimer.run();
            e.idleTimer = null;
        }
        e.unloadAt = -1;
    }
}
