package io.quarkiverse.rocm.runtime.server.pool;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.quarkiverse.rocm.runtime.server.Endpoint;
import io.quarkiverse.rocm.runtime.server.ReplicaStatus;
import io.quarkiverse.rocm.runtime.server.ServerProps;

/**
 * One remote llama-server of a {@link ReplicaPool}: where it is, whether it is in rotation and why not, and its load
 * (this application's requests in flight, and the busy slots its last {@code /slots} showed, which count everyone's).
 */
public final class Replica implements ReplicaStatus {

    private final int index;
    private final URI url;
    private final Endpoint endpoint;
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicLong requests = new AtomicLong();
    final AtomicLong ejections = new AtomicLong();
    /** How to end each request at this replica now: run when it leaves the rotation. */
    final java.util.Set<Runnable> aborts = java.util.concurrent.ConcurrentHashMap.newKeySet();
    // written by the pool's probes and failures, read anywhere
    volatile boolean inRotation;
    volatile String problem = "not probed yet";
    volatile long latencyMillis = -1;
    volatile int busySlots;
    volatile int slots;
    volatile ServerProps props;
    // the pool's own, under its lock
    int failedProbes;
    long nextProbeNanos;
    boolean probing;

    Replica(int index, URI url, String apiKey) {
        this.index = index;
        this.url = url;
        this.endpoint = Endpoint.replica(url, apiKey);
    }

    public int index() {
        return index;
    }

    /** Its base URL, as configured: how messages, health data and metrics name it. */
    public String url() {
        return url.toString();
    }

    URI uri() {
        return url;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    public boolean inRotation() {
        return inRotation;
    }

    /** Why it is out of rotation (or the last probe's trouble), or null. */
    public String problem() {
        return problem;
    }

    /** How long its last successful probe took, or -1. */
    public long latencyMillis() {
        return latencyMillis;
    }

    /** This application's requests at it now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Requests this application sent it. */
    public long requests() {
        return requests.get();
    }

    /** How often it was taken out of rotation. */
    public long ejections() {
        return ejections.get();
    }

    /** Slots its last {@code /slots} showed busy, and how many it has (0 when unknown). */
    public int busySlots() {
        return busySlots;
    }

    public int slots() {
        return slots;
    }

    /** What it said about itself in {@code /props} when it was last admitted, or null. */
    public ServerProps props() {
        return props;
    }

    /**
     * Registers how to end a request at this replica if it leaves the rotation (its probe stopped answering: a
     * stream would otherwise wait for its idle timeout); the returned action unregisters it.
     */
    public Runnable onEjection(Runnable abort) {
        aborts.add(abort);
        return () -> aborts.remove(abort);
    }

    /** The load the balancer compares: the larger of this application's in-flight count and its busy slots. */
    int load() {
        return Math.max(inFlight.get(), busySlots);
    }

    @Override
    public String toString() {
        return url.toString();
    }
}
