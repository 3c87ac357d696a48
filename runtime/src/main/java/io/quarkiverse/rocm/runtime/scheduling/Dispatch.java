package io.quarkiverse.rocm.runtime.scheduling;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

/**
 * The {@link Scheduler}'s decisions on its line, one pass at a time: a waiter of a loaded model gets its place (up to
 * the fairness bound while the model drains), a waiter of a loading model joins the load, a model that fits starts
 * loading, one that does not makes room (idle models unloaded least recently used first, busy ones marked to drain),
 * and later loads wait behind a load that waits for room. Every method runs with the scheduler's lock held and returns
 * what to run once it is released.
 */
final class Dispatch {

    private static final Logger LOG = Logger.getLogger(Scheduler.class);

    private final Object lock;
    private final Map<String, Entry> entries;
    private final Line line;
    private final Limits limits;
    private final LongSupplier clock;
    private final Room room;
    private final Residency residency;

    Dispatch(Object lock, Map<String, Entry> entries, Line line, Limits limits, LongSupplier clock, Room room,
            Residency residency) {
        this.lock = lock;
        this.entries = entries;
        this.line = line;
        this.limits = limits;
        this.clock = clock;
        this.room = room;
        this.residency = residency;
    }

    /**
     * Serves the line in order: waiters of loaded models get their place, of loading ones wait for the load, of
     * unloaded ones start a load when it fits, or make room for it. Returns what to run once the lock is released.
     */
    List<Runnable> serve() {
        List<Runnable> after = new ArrayList<>();
        boolean blocked = false; // a load waits for room: later loads wait behind it (first come, first served)
        for (Iterator<Line.Waiter> it = line.iterator(); it.hasNext();) {
            Line.Waiter w = it.next();
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
                Lease lease = grant(e, w.keepAlive());
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
            String problem = room.neverFits(e, entries.values());
            if (problem != null) {
                it.remove();
                after.add(() -> w.future().completeExceptionally(new SchedulerException(problem)));
                continue;
            }
            if (!makeRoom(e, after)) {
                blocked = true;
                continue;
            }
            residency.startLoad(e, after);
        }
        return after;
    }

    /**
     * Whether {@code e} fits now. If not, and the unloads and drains already under way will not free enough, unloads
     * idle models (least recently used first) and marks busy ones to drain (they serve on, up to the fairness bound,
     * and are unloaded when done) until they will. False while it does not fit yet: an unload's end pumps again.
     */
    private boolean makeRoom(Entry e, List<Runnable> after) {
        if (room.fits(e, entries.values(), true, 0, 0)) {
            return true;
        }
        for (Entry o : room.toFree(e, entries.values())) {
            if (o.busy == 0) {
                residency.startUnload(o, UnloadReason.EVICTED,
                        "least recently used and idle; '" + e.name() + "' needs its room",
                        after);
            } else {
                o.draining = true;
                o.drainAdmitted = 0;
                o.drainSeq = line.arrivals();
                LOG.infof("Model '%s' will be unloaded once its %d request(s) are done: '%s' needs its room", o.name(),
                        o.busy, e.name());
            }
        }
        return false;
    }

    /** Gives {@code e} one more request: its idle timer stops, its use is now. */
    Lease grant(Entry e, KeepAlive keepAlive) {
        residency.cancelIdleTimer(e);
        e.busy++;
        e.lastUsed = clock.getAsLong();
        return new Lease(lock, residency, e, keepAlive, ++e.asks);
    }
}
