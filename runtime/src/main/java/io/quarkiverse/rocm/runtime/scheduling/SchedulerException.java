package io.quarkiverse.rocm.runtime.scheduling;

/** A model that cannot be loaded as configured; the message says why and what to change. */
public final class SchedulerException extends RuntimeException {
    public SchedulerException(String message) {
        super(message);
    }
}
