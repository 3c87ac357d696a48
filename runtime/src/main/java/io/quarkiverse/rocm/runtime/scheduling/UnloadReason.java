package io.quarkiverse.rocm.runtime.scheduling;

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
