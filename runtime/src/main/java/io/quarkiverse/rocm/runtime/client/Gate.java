package io.quarkiverse.rocm.runtime.client;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Bounds the requests of one model: at most {@code maxInFlight} at llama-server, at most {@code maxQueue} waiting for a
 * place; beyond that a request is refused at once rather than held in memory. The waiting line is fair between
 * callers: a freed place goes to the callers with waiting requests in turn (round robin), so one caller's backlog
 * does not hold another's request back by more than one turn of each; within one caller, requests keep their order.
 * Optionally a caller may have at most {@code callerMaxInFlight} requests at llama-server (more wait their turn) and
 * {@code callerMaxQueue} waiting (more are refused).
 */
public final class Gate {

    /** No per-caller limit. */
    public static final int UNLIMITED = 0;

    private final int maxInFlight;
    private final int maxQueue;
    private final int callerMaxInFlight;
    private final int callerMaxQueue;
    private final Map<String, Caller> callers = new HashMap<>();
    /** The callers with waiting requests, in the order of their turns. */
    private final ArrayDeque<Caller> turns = new ArrayDeque<>();
    private int inFlight;
    private int queued;

    /** Why a request was refused. */
    public enum Reason {
        /** {@code maxQueue} requests wait already. */
        QUEUE_FULL,
        /** This caller has {@code callerMaxQueue} requests waiting already. */
        CALLER_QUEUE_FULL
    }

    /** A request refused at once; the counts are those when it was. */
    public static final class Refused extends RuntimeException {
        private final Reason reason;
        private final int inFlight;
        private final int queued;

        Refused(Reason reason, int inFlight, int queued) {
            super(reason.name(), null, false, false);
            this.reason = reason;
            this.inFlight = inFlight;
            this.queued = queued;
        }

        public Reason reason() {
            return reason;
        }

        /** Requests at llama-server: the model's, or the caller's for {@link Reason#CALLER_QUEUE_FULL}. */
        public int inFlight() {
            return inFlight;
        }

        /** Requests waiting: the model's, or the caller's for {@link Reason#CALLER_QUEUE_FULL}. */
        public int queued() {
            return queued;
        }
    }

    private static final class Caller {
        final String name;
        final ArrayDeque<CompletableFuture<Permit>> waiting = new ArrayDeque<>();
        int inFlight;
        boolean inTurns;

        Caller(String name) {
            this.name = name;
        }
    }

    /** A place at llama-server; release it exactly once when the exchange ends, however it ends. */
    public final class Permit {
        private final Caller caller;
        private boolean released;
        private volatile Runnable alsoRelease;

        private Permit(Caller caller) {
            this.caller = caller;
        }

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
            Next next;
            synchronized (Gate.this) {
                inFlight--;
                caller.inFlight--;
                forgetIfIdle(caller);
                next = next();
            }
            next.grant();
        }
    }

    /** The waiting request given the freed place (or none), granted outside the lock. */
    private record Next(Caller caller, CompletableFuture<Permit> waiting, Permit permit) {
        void grant() {
            if (waiting != null && !waiting.complete(permit)) {
                permit.release(); // it was cancelled meanwhile: pass the place on
            }
        }
    }

    private static final Next NONE = new Next(null, null, null);

    public Gate(int maxInFlight, int maxQueue) {
        this(maxInFlight, maxQueue, UNLIMITED, UNLIMITED);
    }

    public Gate(int maxInFlight, int maxQueue, int callerMaxInFlight, int callerMaxQueue) {
        if (maxInFlight < 1 || maxQueue < 0 || callerMaxInFlight < 0 || callerMaxQueue < 0) {
            throw new IllegalArgumentException("maxInFlight must be >= 1, the others >= 0");
        }
        this.maxInFlight = maxInFlight;
        this.maxQueue = maxQueue;
        this.callerMaxInFlight = callerMaxInFlight;
        this.callerMaxQueue = callerMaxQueue;
    }

    /**
     * A permit for {@code caller} now, or once a place frees up and it is this caller's turn. Cancelling the returned
     * future (a caller that gave up) leaves the line.
     *
     * @throws Refused at once when the queue (or the caller's share of it) is full
     */
    public synchronized CompletableFuture<Permit> acquire(String caller) {
        Caller c = callers.computeIfAbsent(caller, Caller::new);
        boolean callerMayRun = callerMaxInFlight == UNLIMITED || c.inFlight < callerMaxInFlight;
        // a free place is taken at once unless others wait for it (they were first) or this caller is at its limit
        if (inFlight < maxInFlight && callerMayRun && c.waiting.isEmpty() && !othersMayRun()) {
            inFlight++;
            c.inFlight++;
            return CompletableFuture.completedFuture(new Permit(c));
        }
        if (queued >= maxQueue) {
            forgetIfIdle(c);
            throw new Refused(Reason.QUEUE_FULL, inFlight, queued);
        }
        if (callerMaxQueue != UNLIMITED && c.waiting.size() >= callerMaxQueue) {
            throw new Refused(Reason.CALLER_QUEUE_FULL, c.inFlight, c.waiting.size());
        }
        CompletableFuture<Permit> waiting = new CompletableFuture<>();
        c.waiting.add(waiting);
        queued++;
        if (!c.inTurns) {
            c.inTurns = true;
            turns.add(c);
        }
        waiting.whenComplete((p, e) -> {
            if (e != null) {
                leave(c, waiting);
            }
        });
        return waiting;
    }

    /** Whether a waiting request of another caller could take a free place now (then it goes first). */
    private boolean othersMayRun() {
        if (callerMaxInFlight == UNLIMITED) {
            return !turns.isEmpty();
        }
        for (Caller other : turns) {
            if (other.inFlight < callerMaxInFlight) {
                return true;
            }
        }
        return false;
    }

    /** A waiting request that gave up leaves the line. */
    private synchronized void leave(Caller c, CompletableFuture<Permit> waiting) {
        if (c.waiting.remove(waiting)) {
            queued--;
            if (c.waiting.isEmpty() && c.inTurns) {
                c.inTurns = false;
                turns.remove(c);
            }
            forgetIfIdle(c);
        }
    }

    /** The next waiting request in turn whose caller may run, given the freed place (held by the caller). */
    private Next next() {
        if (inFlight >= maxInFlight) {
            return NONE;
        }
        for (int i = turns.size(); i > 0; i--) {
            Caller c = turns.poll();
            if (callerMaxInFlight != UNLIMITED && c.inFlight >= callerMaxInFlight) {
                turns.add(c); // at its limit: its turn passes, it keeps its place in the rotation
                continue;
            }
            CompletableFuture<Permit> w = c.waiting.poll();
            queued--;
            if (c.waiting.isEmpty()) {
                c.inTurns = false;
            } else {
                turns.add(c);
            }
            inFlight++;
            c.inFlight++;
            return new Next(c, w, new Permit(c));
        }
        return NONE;
    }

    private void forgetIfIdle(Caller c) {
        if (c.inFlight == 0 && c.waiting.isEmpty()) {
            callers.remove(c.name);
        }
    }

    public synchronized int inFlight() {
        return inFlight;
    }

    public synchronized int queued() {
        return queued;
    }

    /** The callers with requests at llama-server or waiting. */
    public synchronized int callers() {
        return callers.size();
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    public int maxQueue() {
        return maxQueue;
    }

    public int callerMaxInFlight() {
        return callerMaxInFlight;
    }

    public int callerMaxQueue() {
        return callerMaxQueue;
    }
}
