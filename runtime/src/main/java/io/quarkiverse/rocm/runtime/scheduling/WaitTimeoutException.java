package io.quarkiverse.rocm.runtime.scheduling;

import java.util.concurrent.TimeoutException;

/** A request waited for its model longer than it may; it has left the line, and the message says who holds the room. */
public final class WaitTimeoutException extends TimeoutException {
    public WaitTimeoutException(String message) {
        super(message);
    }
}
