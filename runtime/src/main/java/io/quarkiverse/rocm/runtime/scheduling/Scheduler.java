package io.quarkiverse.rocm.runtime.scheduling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Decides which local llama-servers run: loads a model on demand, unloads it when it has been idle for its
 * {@code keep-alive}, and makes room for a load (at most {@code max-loaded} servers, at most the memory budget) by
 * unloading idle models, least recently used first. A model serving a request is never unloaded by policy: a load that
 * needs its room waits for it to drain, while the model keeps serving the requests that come for it up to a fairness
 * bound (so that alternating traffic does not swap on every request). Requests for a model that is loading join its
 * load; a load that has started finishes even when nobody waits for it any more (then the model follows its
 * keep-alive), unless the limits say to cancel it.
 * <p>
 * Each model's server keeps its own life; this class only decides when it runs: it keeps the models' entries and the
 * line of waiting requests, {@link Dispatch} serves the line, {@link Room} says what fits and {@link Residency} loads
 * and unloads. Pure Java, one lock, a clock and a timer passed in: the state transitions and the line are tested
 * without processes.
 */
public final class Scheduler {

    /** A model's state as users see it. */
    public enum Status {
        LOADED,
        LOADING,
        UNLOADED,
        FAILED
    }

    private final Object lock = new Object();
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Line line = new Line();
    private boolean closed;
    private final Limits limits;
    private final LongSupplier clock;
    private final Room room;
    private final Residency residency;
    private final Dispatch dispatch;
    private final Timer timer;

    /**
     * @param clock nanoseconds, as {@link System#nanoTime()}
     * @param executor where loads start and unloads run (they block for the stop timeout at most)
     */
    public Scheduler(Limits limits, LongSupplier clock, Timer timer, Executor executor) {
        this.limits = limits;
        this.room = new Room(limits);
        this.clock = clock;
        this.timer = timer;
        this.residency = new Residency(lock, clock, timer, executor, line, this::pump);
        this.dispatch = new Dispatch(lock, entries, line, limits, clock, room, residency);
    }

    /** Adds a listener of the loads and unloads from now on (what happened before it is in the counts). */
    public void addListener(LoadListener listener) {
        residency.addListener(listener);
    }

    /** The completed loads of {@code model} so far. */
    public long loads(String model) {
        return require(model).loads;
    }

    /** The time its completed loads took together, in nanoseconds. */
    public long loadNanos(String model) {
        return require(model).loadNanos;
    }

    /** Its unloads for {@code reason} so far. */
    public long unloads(String model, UnloadReason reason) {
        Entry e = require(model);
        synchronized (lock) {
            return e.unloads[reason.ordinal()];
        }
    }

    public Limits limits() {
        return limits;
    }

    /** Whether {@code model} would load now without unloading another (the eager start loads only those). */
    public boolean wouldFit(String model) {
        synchronized (lock) {
            Entry e = require(model);
            return e.holdsRoom() || room.neverFits(e, entries.values()) == null && room.fits(e, entries.values(), true, 0, 0);
        }
    }

    /** The requests {@code model} serves now. */
    public int busy(String model) {
        synchronized (lock) {
            return require(model).busy;
        }
    }

    /** Why {@code model} can never be loaded as configured (pinned models, the memory budget), or null. */
    public String whyNeverFits(String model) {
        synchronized (lock) {
            return room.neverFits(require(model), entries.values());
        }
    }

    /**
     * Ends this scheduler's decisions (the application stops, or restarts in dev mode): its idle timers are cancelled
     * and fire no unload, waiting requests fail; the servers themselves are the caller's to stop or keep.
     */
    public void close() {
        List<Line.Waiter> waiting;
        synchronized (lock) {
            closed = true;
            residency.close(entries.values());
            waiting = line.clear();
        }
        waiting.forEach(w -> w.future().completeExceptionally(new SchedulerException("the application is stopping")));
    }

    /** Adds a model; {@code loaded} when its server already runs (kept across a live reload, say). */
    public void add(Model model, Policy policy, boolean loaded) {
        synchronized (lock) {
            Entry e = new Entry(model, policy);
            e.loaded = loaded;
            e.lastUsed = clock.getAsLong();
            entries.put(model.name(), e);
            if (loaded) {
                residency.scheduleIdleUnload(e);
            }
        }
    }

    /**
     * A place at {@code model} for one request, once it is loaded: at once when it is, after its load when it is
     * loading or has room to load, after other models drained and were unloaded when it must make room. Cancelling the
     * future leaves the line. Fails when the model can never fit.
     */
    public CompletableFuture<Lease> acquire(String model) {
        return acquire(model, null);
    }

    /** {@link #acquire(String)}, for a request that asks for its own {@code keepAlive} (null: the model's). */
    public CompletableFuture<Lease> acquire(String model, KeepAlive keepAlive) {
        return acquire(model, keepAlive, null);
    }

    /**
     * {@link #acquire(String, KeepAlive)}, waiting at most {@code maxWait} (null: without limit): then the request has
     * left the line before its future fails with a {@link WaitTimeoutException} that says who holds the room.
     */
    public CompletableFuture<Lease> acquire(String model, KeepAlive keepAlive, Duration maxWait) {
        CompletableFuture<Lease> future = new CompletableFuture<>();
        List<Runnable> after;
        synchronized (lock) {
            Entry e = require(model);
            if (closed) {
                return CompletableFuture.failedFuture(new SchedulerException("the application is stopping"));
            }
            if (e.loaded && !e.unloading && (!e.draining || e.drainAdmitted++ < limits.fairness())) {
                future.complete(dispatch.grant(e, keepAlive));
                return future;
            }
            line.add(e, future, keepAlive);
            after = pump();
        }
        Runnable cancelTimer = maxWait == null || future.isDone() ? () -> {
        } : timer.schedule(() -> timedOut(future, maxWait), maxWait);
        future.whenComplete((lease, failure) -> {
            cancelTimer.run();
            if (failure != null) {
                left(future);
            }
        });
        after.forEach(Runnable::run);
        return future;
    }

    /** Loads a model because an operator (or the start policy) asked, making room as a request would. */
    public CompletableFuture<Void> load(String model) {
        return load(model, null);
    }

    /** {@link #load(String)}, keeping it loaded for {@code keepAlive} once idle (null: its configured keep-alive). */
    public CompletableFuture<Void> load(String model, KeepAlive keepAlive) {
        CompletableFuture<Lease> place = new CompletableFuture<>();
        List<Runnable> after;
        synchronized (lock) {
            Entry e = require(model);
            e.loadAskedByPolicy = true;
            line.add(e, place, keepAlive);
            after = pump();
        }
        after.forEach(Runnable::run);
        return place.thenAccept(Lease::release);
    }

    /**
     * Unloads a model (an operator's request): at once when idle; a model serving requests is not interrupted: its
     * unload fails, saying how many requests it serves.
     */
    public CompletableFuture<Void> unload(String model) {
        List<Runnable> after = new ArrayList<>();
        CompletableFuture<Void> done;
        synchronized (lock) {
            Entry e = require(model);
            if (e.busy > 0) {
                return CompletableFuture.failedFuture(new IllegalStateException("model '" + model + "' is serving "
                        + e.busy + " request(s): unload it once they are done"));
            }
            if (!e.holdsRoom() || e.unloading) {
                return CompletableFuture.completedFuture(null);
            }
            done = residency.startUnload(e, UnloadReason.OPERATOR, "an operator asked", after);
        }
        after.forEach(Runnable::run);
        return done;
    }

    /**
     * A request with nothing to answer sets how long {@code model} stays loaded once idle (Ollama's {@code keep_alive}
     * on an empty generate): from now when it is idle, a {@link Duration#ZERO} one unloading it at once (the future
     * completes once it is unloaded); else when its requests end. An unloaded model stays unloaded; a pinned one stays.
     */
    public CompletableFuture<Void> keepAlive(String model, KeepAlive keepAlive) {
        List<Runnable> after = new ArrayList<>();
        CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
        synchronized (lock) {
            Entry e = require(model);
            e.asked = keepAlive;
            e.askedBy = ++e.asks; // it outlasts what the requests it serves now asked
            if (e.busy == 0 && e.loaded && !e.unloading) {
                if (Duration.ZERO.equals(e.keepAlive()) && !e.policy.pinned()) {
                    done = residency.startUnload(e, UnloadReason.IDLE, "a request asked for a keep-alive of 0", after);
                } else {
                    residency.scheduleIdleUnload(e);
                }
            }
        }
        after.forEach(Runnable::run);
        return done;
    }

    /** Whether {@code model} is pinned (never unloaded by policy); false for a model it does not know. */
    public boolean pinned(String model) {
        synchronized (lock) {
            Entry e = entries.get(model);
            return e != null && e.policy.pinned();
        }
    }

    /** The model's state, as {@code /v1/models} shows it. */
    public Status status(String model) {
        synchronized (lock) {
            Entry e = require(model);
            if (e.loaded && !e.unloading) {
                return Status.LOADED;
            }
            if (e.loading != null) {
                return Status.LOADING;
            }
            return e.failure != null ? Status.FAILED : Status.UNLOADED;
        }
    }

    /** When an idle model will be unloaded (nanoseconds on the scheduler's clock), or -1 when not planned. */
    public long unloadAt(String model) {
        synchronized (lock) {
            return require(model).unloadAt;
        }
    }

    /** The models loaded now. */
    public int loadedCount() {
        synchronized (lock) {
            return (int) entries.values().stream().filter(e -> e.loaded && !e.unloading).count();
        }
    }

    /** Requests waiting for a load. */
    public int waiting() {
        synchronized (lock) {
            return line.size();
        }
    }

    public boolean manages(String model) {
        synchronized (lock) {
            return entries.containsKey(model);
        }
    }

    /**
     * A waiter gave up: it leaves the line. A load that only it (and no policy) asked for finishes, unless
     * {@code cancelAbandonedLoads}: then it is cancelled.
     */
    private void left(CompletableFuture<Lease> future) {
        leave(future, null);
    }

    /** A waiter waited longer than {@code maxWait}: it leaves the line, then learns who holds the room. */
    private void timedOut(CompletableFuture<Lease> future, Duration maxWait) {
        String why = leave(future, maxWait);
        if (why != null) {
            future.completeExceptionally(new WaitTimeoutException(why));
        }
    }

    /** Removes a waiter; null when it had left already, else why it waited (for {@code maxWait}, when timed out). */
    private String leave(CompletableFuture<Lease> future, Duration maxWait) {
        List<Runnable> after;
        String why;
        synchronized (lock) {
            Line.Waiter gone = line.remove(future);
            if (gone == null) {
                return null;
            }
            Entry e = gone.entry();
            why = maxWait == null ? ""
                    : room.whyWaiting(e, entries.values()) + ", for longer than " + maxWait.toMillis() + " ms";
            after = new ArrayList<>();
            if (limits.cancelAbandonedLoads() && e.loading != null && line.waiting(e) == 0 && !e.loadAskedByPolicy
                    && e.busy == 0) {
                residency.startUnload(e, UnloadReason.CANCELLED, "nobody waits for its load any more", after);
            }
            after.addAll(pump());
        }
        after.forEach(Runnable::run);
        return why;
    }

    /** Serves the line (the caller holds the lock); returns what to run once it is released. */
    private List<Runnable> pump() {
        return dispatch.serve();
    }

    private Entry require(String model) {
        Entry e = entries.get(model);
        if (e == null) {
            throw new IllegalArgumentException("no model '" + model + "' is scheduled");
        }
        return e;
    }
}
