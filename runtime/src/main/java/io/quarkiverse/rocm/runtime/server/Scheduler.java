package io.quarkiverse.rocm.runtime.server;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

/**
 * Decides which local llama-servers run: loads a model on demand, unloads it when it has been idle for its
 * {@code keep-alive}, and makes room for a load (at most {@code max-loaded} servers, at most the memory budget) by
 * unloading idle models, least recently used first. A model serving a request is never unloaded by policy: a load that
 * needs its room waits for it to drain, while the model keeps serving the requests that come for it up to a fairness
 * bound (so that alternating traffic does not swap on every request). Requests for a model that is loading join its
 * load; a load nobody waits for any more, and that no policy asked for, is cancelled.
 * <p>
 * Each {@link ModelServer} keeps one server's life; this class only decides when it runs. Pure Java, one lock, a
 * clock and a timer passed in: the state transitions and the line are tested without processes.
 */
public final class Scheduler {

    private static final Logger LOG = Logger.getLogger(Scheduler.class);

    /** What the scheduler needs of one model's server. */
    public interface Model {
        String name();

        /** Starts the server; completes when it is ready (fails when it cannot start). */
        CompletableFuture<?> load();

        /** Stops the server and waits for its process to exit. */
        void unload();

        /** Whether the server is ready to serve now. */
        boolean loaded();

        /** Memory the server needs: measured the last time it was loaded, else estimated from the GGUF. */
        long bytes();

        /** Called once a load completed: measure what the server really uses. */
        default void measure() {
        }
    }

    /** Runs a task after a delay; the returned handle cancels it. */
    public interface Timer {
        Runnable schedule(Runnable task, Duration delay);
    }

    /**
     * @param keepAlive idle time after the last request ends before the server is stopped; null: forever
     * @param pinned never unloaded by policy
     */
    public record Policy(Duration keepAlive, boolean pinned) {
        public static final Policy FOREVER = new Policy(null, false);
    }

    /**
     * @param maxLoaded the most servers running (or loading) at once; 0: no limit
     * @param memoryBudget the most memory they may need together, in bytes; 0 or less: no budget
     * @param fairness requests a model that must make room still takes after a load started waiting for it
     */
    public record Limits(int maxLoaded, long memoryBudget, int fairness) {
        public static final Limits NONE = new Limits(0, 0, 0);
    }

    /** Why a server was stopped. */
    public enum UnloadReason {
        /** Idle for its keep-alive. */
        IDLE,
        /** Its room was needed by another model. */
        EVICTED,
        /** An operator asked. */
        OPERATOR,
        /** A load nobody waited for any more was cancelled. */
        CANCELLED
    }

    /** Sees loads and unloads (metrics, logs). Called without the lock. */
    public interface Listener {
        default void loaded(String model, Duration took, long bytes) {
        }

        default void unloaded(String model, UnloadReason reason) {
        }
    }

    /** A model's state as users see it. */
    public enum Status {
        LOADED,
        LOADING,
        UNLOADED,
        FAILED
    }

    /** A place at a loaded model, for one request; release it exactly once when the request ends. */
    public final class Lease {
        private final Entry entry;
        private boolean released;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        public void release() {
            List<Runnable> after;
            synchronized (lock) {
                if (released) {
                    return;
                }
                released = true;
                entry.busy--;
                entry.lastUsed = clock.getAsLong();
                after = new ArrayList<>();
                if (entry.busy == 0) {
                    List<String> loads = waitingLoads();
                    if (entry.draining && !loads.isEmpty()) {
                        startUnload(entry, UnloadReason.EVICTED, "its room is needed by " + String.join(", ", loads),
                                after);
                    } else {
                        entry.draining = false; // the load that needed its room was given up
                        scheduleIdleUnload(entry);
                    }
                }
                after.addAll(pump());
            }
            after.forEach(Runnable::run);
        }
    }

    /** A model's place in the scheduler. Guarded by the lock. */
    private final class Entry {
        final Model model;
        final Policy policy;
        boolean loaded;
        CompletableFuture<?> loading;
        boolean loadAskedByPolicy;
        boolean unloading;
        boolean draining;
        /** The first arrival that counts against the fairness bound: requests queued earlier joined its load. */
        long drainSeq;
        int drainAdmitted;
        int busy;
        long lastUsed;
        long loadStarted;
        Runnable idleTimer;
        long unloadAt = -1;
        Throwable failure;

        Entry(Model model, Policy policy) {
            this.model = model;
            this.policy = policy;
        }

        boolean holdsRoom() {
            return loaded || loading != null || unloading;
        }

        String name() {
            return model.name();
        }
    }

    /** One request (or operator's load) waiting; {@code seq}: its place in arrival order. */
    private record Waiter(Entry entry, CompletableFuture<Lease> future, long seq) {
    }

    private final Object lock = new Object();
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final ArrayDeque<Waiter> line = new ArrayDeque<>();
    private long arrivals;
    private boolean closed;
    private final Limits limits;
    private final LongSupplier clock;
    private final Timer timer;
    private final Executor executor;
    private final List<Listener> listeners = new ArrayList<>();
    /** Loads and unloads so far (guarded by itself), told to listeners that are added later. */
    private final ArrayDeque<Consumer<Listener>> history = new ArrayDeque<>();
    static final int HISTORY = 1000;

    /**
     * @param clock nanoseconds, as {@link System#nanoTime()}
     * @param executor where loads start and unloads run (they block for the stop timeout at most)
     */
    public Scheduler(Limits limits, LongSupplier clock, Timer timer, Executor executor) {
        this.limits = limits;
        this.clock = clock;
        this.timer = timer;
        this.executor = executor;
    }

    /** Adds a listener; it is told first what happened before it came (the loads of the start, for the metrics). */
    public void addListener(Listener listener) {
        List<Consumer<Listener>> past;
        synchronized (history) {
            listeners.add(listener);
            past = new ArrayList<>(history);
        }
        past.forEach(event -> event.accept(listener));
    }

    /** Tells every listener, and keeps the event for those that come later (the most recent {@value #HISTORY}). */
    private void tell(Consumer<Listener> event) {
        List<Listener> now;
        synchronized (history) {
            if (history.size() == HISTORY) {
                history.removeFirst();
            }
            history.addLast(event);
            now = List.copyOf(listeners);
        }
        now.forEach(event::accept);
    }

    public Limits limits() {
        return limits;
    }

    /** Whether {@code model} would load now without unloading another (the eager start loads only those). */
    public boolean wouldFit(String model) {
        synchronized (lock) {
            Entry e = require(model);
            return e.holdsRoom() || neverFits(e) == null && fits(e, true, 0, 0);
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
            return neverFits(require(model));
        }
    }

    /** Why a request for {@code model} waits (for the error of one that waited too long), or null. */
    public String whyWaiting(String model) {
        synchronized (lock) {
            Entry e = require(model);
            if (e.loading != null) {
                return "model '" + model + "' is loading";
            }
            if (e.unloading) {
                return "model '" + model + "' is being unloaded";
            }
            List<String> holders = entries.values().stream().filter(o -> o != e && o.holdsRoom())
                    .map(o -> "'" + o.name() + "'" + (o.busy > 0 ? " (serving " + o.busy + ")" : "")
                            + (o.policy.pinned() ? " (pinned)" : "") + (o.draining ? " (draining)" : ""))
                    .toList();
            return "model '" + model + "' waits for room"
                    + (limits.maxLoaded() > 0 ? " (quarkus.rocm.max-loaded=" + limits.maxLoaded() + ")" : "")
                    + (limits.memoryBudget() > 0 ? " (quarkus.rocm.memory-budget " + mib(limits.memoryBudget())
                            + ", it needs " + mib(e.model.bytes()) + ")" : "")
                    + "; the models holding it: " + holders;
        }
    }

    /**
     * Ends this scheduler's decisions (the application stops, or restarts in dev mode): its idle timers are cancelled
     * and fire no unload, waiting requests fail; the servers themselves are the caller's to stop or keep.
     */
    public void close() {
        List<Waiter> waiting;
        synchronized (lock) {
            closed = true;
            entries.values().forEach(this::cancelIdleTimer);
            waiting = new ArrayList<>(line);
            line.clear();
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
                scheduleIdleUnload(e);
            }
        }
    }

    /**
     * A place at {@code model} for one request, once it is loaded: at once when it is, after its load when it is
     * loading or has room to load, after other models drained and were unloaded when it must make room. Cancelling the
     * future leaves the line. Fails when the model can never fit.
     */
    public CompletableFuture<Lease> acquire(String model) {
        CompletableFuture<Lease> future = new CompletableFuture<>();
        List<Runnable> after;
        synchronized (lock) {
            Entry e = require(model);
            if (closed) {
                return CompletableFuture.failedFuture(new SchedulerException("the application is stopping"));
            }
            if (e.loaded && !e.unloading && (!e.draining || e.drainAdmitted++ < limits.fairness())) {
                future.complete(grant(e));
                return future;
            }
            line.add(new Waiter(e, future, arrivals++));
            after = pump();
        }
        future.whenComplete((lease, failure) -> {
            if (failure != null) {
                left(future);
            }
        });
        after.forEach(Runnable::run);
        return future;
    }

    /** Loads a model because an operator (or the start policy) asked, making room as a request would. */
    public CompletableFuture<Void> load(String model) {
        CompletableFuture<Lease> place = new CompletableFuture<>();
        List<Runnable> after;
        synchronized (lock) {
            Entry e = require(model);
            e.loadAskedByPolicy = true;
            line.add(new Waiter(e, place, arrivals++));
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
            done = startUnload(e, UnloadReason.OPERATOR, "an operator asked", after);
        }
        after.forEach(Runnable::run);
        return done;
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

    // ------------------------------------------------------------------ the line (caller holds the lock)

    /**
     * Serves the line in order: waiters of loaded models get their place, of loading ones wait for the load, of
     * unloaded ones start a load when it fits, or make room for it. Returns what to run once the lock is released.
     */
    private List<Runnable> pump() {
        List<Runnable> after = new ArrayList<>();
        boolean blocked = false; // a load waits for room: later loads wait behind it (first come, first served)
        for (Iterator<Waiter> it = line.iterator(); it.hasNext();) {
            Waiter w = it.next();
            Entry e = w.entry();
            if (w.future().isDone()) {
                it.remove();
                continue;
            }
            if (e.loaded && !e.unloading) {
                if (e.draining && w.seq() >= e.drainSeq && e.drainAdmitted++ >= limits.fairness()) {
                    continue; // it makes room for an earlier load: reloaded after that one
                }
                it.remove();
                Lease lease = grant(e);
                after.add(() -> {
                    if (!w.future().complete(lease)) {
                        lease.release();
                    }
                });
                continue;
            }
            if (e.loading != null || e.unloading || blocked) {
                continue; // joins the load, or waits for the unload to finish, or for its turn
            }
            String problem = neverFits(e);
            if (problem != null) {
                it.remove();
                after.add(() -> w.future().completeExceptionally(new SchedulerException(problem)));
                continue;
            }
            if (!makeRoom(e, after)) {
                blocked = true;
                continue;
            }
            startLoad(e, after);
        }
        return after;
    }

    /** Why {@code e} cannot fit even with every other model unloaded that may be, or null. */
    private String neverFits(Entry e) {
        List<Entry> pinned = entries.values().stream().filter(o -> o != e && o.policy.pinned() && o.holdsRoom())
                .toList();
        if (limits.maxLoaded() > 0 && pinned.size() >= limits.maxLoaded()) {
            return "model '" + e.name() + "' cannot be loaded: quarkus.rocm.max-loaded=" + limits.maxLoaded()
                    + " and the pinned models " + names(pinned) + " hold every place";
        }
        if (limits.memoryBudget() > 0) {
            long pinnedBytes = pinned.stream().mapToLong(o -> o.model.bytes()).sum();
            if (e.model.bytes() + pinnedBytes > limits.memoryBudget()) {
                return "model '" + e.name() + "' needs about " + mib(e.model.bytes()) + " but the memory budget is "
                        + mib(limits.memoryBudget()) + (pinned.isEmpty() ? ""
                                : " and the pinned models " + names(pinned) + " hold " + mib(pinnedBytes))
                        + " (quarkus.rocm.memory-budget): lower its context-size or parallel, or use a smaller"
                        + " quantisation";
            }
        }
        return null;
    }

    /**
     * Whether {@code e} fits now. If not, and the unloads and drains already under way will not free enough, unloads
     * idle models (least recently used first) and marks busy ones to drain (they serve on, up to the fairness bound,
     * and are unloaded when done) until they will. False while it does not fit yet: an unload's end pumps again.
     */
    private boolean makeRoom(Entry e, List<Runnable> after) {
        if (fits(e, true, 0, 0)) {
            return true;
        }
        List<Entry> candidates = entries.values().stream()
                .filter(o -> o != e && o.loaded && !o.unloading && !o.draining && !o.policy.pinned())
                .sorted(Comparator.comparingLong((Entry o) -> o.busy > 0 ? 1 : 0).thenComparingLong(o -> o.lastUsed))
                .toList();
        int freedCount = 0;
        long freedBytes = 0;
        for (Entry o : candidates) {
            if (fits(e, false, freedCount, freedBytes)) {
                break;
            }
            freedCount++;
            freedBytes += o.model.bytes();
            if (o.busy == 0) {
                startUnload(o, UnloadReason.EVICTED, "least recently used and idle; '" + e.name() + "' needs its room",
                        after);
            } else {
                o.draining = true;
                o.drainAdmitted = 0;
                o.drainSeq = arrivals;
                LOG.infof("Model '%s' will be unloaded once its %d request(s) are done: '%s' needs its room", o.name(),
                        o.busy, e.name());
            }
        }
        return false;
    }

    /**
     * Whether {@code e} fits beside the models that hold room, minus {@code freedCount} / {@code freedBytes} more;
     * {@code now}: counting the models being unloaded or drained too (their memory is not free yet), else not.
     */
    private boolean fits(Entry e, boolean now, int freedCount, long freedBytes) {
        List<Entry> holding = entries.values().stream()
                .filter(o -> o != e && o.holdsRoom() && (now || !(o.unloading || o.draining))).toList();
        if (limits.maxLoaded() > 0 && holding.size() - freedCount >= limits.maxLoaded()) {
            return false;
        }
        if (limits.memoryBudget() > 0) {
            long used = holding.stream().mapToLong(o -> o.model.bytes()).sum() - freedBytes;
            return used + e.model.bytes() <= limits.memoryBudget();
        }
        return true;
    }

    private void startLoad(Entry e, List<Runnable> after) {
        cancelIdleTimer(e);
        e.failure = null;
        e.loadStarted = clock.getAsLong();
        CompletableFuture<Void> loading = new CompletableFuture<>();
        e.loading = loading;
        int waiting = (int) line.stream().filter(w -> w.entry() == e).count();
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
        List<Waiter> failed = new ArrayList<>();
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
                e.lastUsed = clock.getAsLong();
                scheduleIdleUnload(e);
            } else {
                e.failure = failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
                for (Iterator<Waiter> it = line.iterator(); it.hasNext();) {
                    Waiter w = it.next();
                    if (w.entry() == e) {
                        it.remove();
                        failed.add(w);
                    }
                }
            }
            after = pump();
        }
        if (failure == null) {
            long bytes = e.model.bytes();
            tell(l -> l.loaded(e.name(), took, bytes));
        }
        Throwable cause = e.failure;
        failed.forEach(w -> w.future().completeExceptionally(cause));
        after.forEach(Runnable::run);
        loading.complete(null);
    }

    /** Stops a server on the executor (once the lock is released: {@code after}); caller holds the lock. */
    private CompletableFuture<Void> startUnload(Entry e, UnloadReason reason, String why, List<Runnable> after) {
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
                    next = pump();
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

    private Lease grant(Entry e) {
        cancelIdleTimer(e);
        e.busy++;
        e.lastUsed = clock.getAsLong();
        return new Lease(e);
    }

    private void scheduleIdleUnload(Entry e) {
        cancelIdleTimer(e);
        if (closed) {
            return;
        }
        Duration keepAlive = e.policy.keepAlive();
        if (keepAlive == null || e.policy.pinned() || e.busy > 0 || !e.loaded) {
            return;
        }
        e.unloadAt = clock.getAsLong() + keepAlive.toNanos();
        e.idleTimer = timer.schedule(() -> idle(e), keepAlive);
    }

    private void idle(Entry e) {
        List<Runnable> after = new ArrayList<>();
        synchronized (lock) {
            if (closed || e.idleTimer == null || e.busy > 0 || !e.loaded || e.unloading) {
                return;
            }
            e.idleTimer = null;
            startUnload(e, UnloadReason.IDLE, "idle for its keep-alive of " + e.policy.keepAlive(), after);
        }
        after.forEach(Runnable::run);
    }

    private void cancelIdleTimer(Entry e) {
        if (e.idleTimer != null) {
            e.idleTimer.run();
            e.idleTimer = null;
        }
        e.unloadAt = -1;
    }

    /** A waiter gave up: it leaves the line; a load that only it (and no policy) asked for is cancelled. */
    private void left(CompletableFuture<Lease> future) {
        List<Runnable> after;
        synchronized (lock) {
            Waiter gone = null;
            for (Iterator<Waiter> it = line.iterator(); it.hasNext();) {
                Waiter w = it.next();
                if (w.future() == future) {
                    it.remove();
                    gone = w;
                }
            }
            if (gone == null) {
                return;
            }
            Entry e = gone.entry();
            boolean othersWait = line.stream().anyMatch(w -> w.entry() == e);
            after = new ArrayList<>();
            if (e.loading != null && !othersWait && !e.loadAskedByPolicy && e.busy == 0) {
                startUnload(e, UnloadReason.CANCELLED, "nobody waits for its load any more", after);
            }
            after.addAll(pump());
        }
        after.forEach(Runnable::run);
    }

    /** The models whose requests wait for a load (not for a model that is loaded). */
    private List<String> waitingLoads() {
        return line.stream().filter(w -> !w.entry().loaded || w.entry().unloading).map(w -> w.entry().name())
                .distinct().map(n -> "'" + n + "'").toList();
    }

    private Entry require(String model) {
        Entry e = entries.get(model);
        if (e == null) {
            throw new IllegalArgumentException("no model '" + model + "' is scheduled");
        }
        return e;
    }

    private static String names(List<Entry> entries) {
        return entries.stream().map(o -> "'" + o.name() + "'").toList().toString();
    }

    private static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }

    /** A model that cannot be loaded as configured; the message says why and what to change. */
    public static final class SchedulerException extends RuntimeException {
        public SchedulerException(String message) {
            super(message);
        }
    }
}
