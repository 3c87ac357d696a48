package io.quarkiverse.rocm.runtime.server;

/** One remote replica of a model, as health, metrics and the Dev UI show it. */
public interface ReplicaStatus {

    /** Its base URL, as configured. */
    String url();

    boolean inRotation();

    /** This application's requests at it now. */
    int inFlight();

    /** Requests sent to it since the start. */
    long requests();

    /** Times it was taken out of rotation. */
    long ejections();

    /** How long its last probe took, or -1. */
    long latencyMillis();

    /** Why it is out of rotation (or the last probe's trouble), or null. */
    String problem();
}
