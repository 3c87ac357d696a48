package io.quarkiverse.rocm.runtime.client;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * Bounds the requests of one model: at most {@code maxInFlight} at llama-server, at most {@code maxQueue} waiting in
 * line (in order) for a place; beyond that a request is refused at once rather than held in memory.
 */
public final class Gate {

    private final int maxInFlight;
    private final int maxQueue;
    private final ArrayDeque<CompletableFuture<Permit>> queue = new ArrayDeque<>();
    private int inFlight;

    /** A place at llama-server; release it exactly once when the exchange ends, however it ends. */
    public final class Permit {
        private boolean released;
        private volatile Runnable alsoRelease;

        /**
         * Something held with this place and released with it (the model's lease from the scheduler); released at
         * once when the place already was.
         */
        public void attach(Runnable release) {
            synchronized (Gate.this) {
                if (!released) {
                    alsoRelease = release;
                    return;
                }
            }
            release.run();
        }

        public void release() {
            CompletableFuture<Permit> next;
            synchronized (Gate.this) {
                if (released) {
                    return;
                }
                released = true;
            }
            Runnable also = alsoRelease;
            if (also != null) {
                also.run();
            }
            synchronized (Gate.this) {
                next = queue.poll();
                if (next == null) {
                    inFlight--;
                    return;
                }
            }
            // the place passes straight to the next in line (in-flight count unchanged)
            if (!next.complete(new Permit())) {
                new Permit().release(); // it was cancelled meanwhile: pass the place on
            }
        }
    }

    public Gate(int maxInFlight, int maxQueue) {
        if (maxInFlight < 1 || maxQueue < 0) {
            throw new IllegalArgumentException("maxInFlight must be >= 1 and maxQueue >= 0");
        }
        this.maxInFlight = maxInFlight;
        this.maxQueue = maxQueue;
    }

    /**
     * A permit now, or once a place frees up; {@code null} when the queue is full. Cancelling the returned future
     * (a caller that gave up) leaves the line.
     */
    public synchronized CompletableFuture<Permit> acquire() {
        if (inFlight < maxInFlight) {
            inFlight++;
            return CompletableFuture.completedFuture(new Permit());
        }
        if (queue.size() >= maxQueue) {
            return null;
        }
        CompletableFuture<Permit> waiting = new CompletableFuture<>();
        queue.add(waiting);
        waiting.whenComplete((p, e) -> {
            if (e != null) {
                synchronized (Gate.this) {
                    queue.remove(waiting);
                }
            }
        });
        return waiting;
    }

    public synchronized int inFlight() {
        return inFlight;
    }

    public synchronized int queued() {
        return queue.size();
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    public int maxQueue() {
        return maxQueue;
    }
}
