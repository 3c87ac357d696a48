package io.quarkiverse.rocm.runtime.scheduling;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The requests (and operators' loads) waiting for a model, in arrival order; the {@link Scheduler} serves it.
 * Guarded by the scheduler's lock.
 */
final class Line implements Iterable<Line.Waiter> {

    /** One request waiting; {@code seq}: its place in arrival order; {@code keepAlive}: what it asked, or null. */
    record Waiter(Entry entry, CompletableFuture<Lease> future, long seq, KeepAlive keepAlive) {
    }

    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private long arrivals;

    void add(Entry e, CompletableFuture<Lease> future, KeepAlive keepAlive) {
        waiters.add(new Waiter(e, future, arrivals++, keepAlive));
    }

    /** The place in arrival order the next arrival will have. */
    long arrivals() {
        return arrivals;
    }

    /** Takes {@code future}'s waiter out of the line; null when it is not in it. */
    Waiter remove(CompletableFuture<?> future) {
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext();) {
            Waiter w = it.next();
            if (w.future() == future) {
                it.remove();
                return w;
            }
        }
        return null;
    }

    /** Takes the waiters of {@code e} out of the line (its load failed); returns their futures. */
    List<CompletableFuture<?>> drop(Entry e) {
        List<CompletableFuture<?>> dropped = new ArrayList<>();
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext();) {
            Waiter w = it.next();
            if (w.entry() == e) {
                it.remove();
                dropped.add(w.future());
            }
        }
        return dropped;
    }

    /** How many wait for {@code e}. */
    int waiting(Entry e) {
        return (int) waiters.stream().filter(w -> w.entry() == e).count();
    }

    /** The models whose requests wait for a load (not for a model that is loaded). */
    List<String> waitingLoads() {
        return waiters.stream().filter(w -> !w.entry().loaded || w.entry().unloading).map(w -> w.entry().name())
                .distinct().map(n -> "'" + n + "'").toList();
    }

    /** Empties the line; returns who waited. */
    List<Waiter> clear() {
        List<Waiter> all = new ArrayList<>(waiters);
        waiters.clear();
        return all;
    }

    int size() {
        return waiters.size();
    }

    @Override
    public Iterator<Waiter> iterator() {
        return waiters.iterator();
    }
}
