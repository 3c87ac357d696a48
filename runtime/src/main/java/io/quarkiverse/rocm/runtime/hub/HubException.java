package io.quarkiverse.rocm.runtime.hub;

import io.quarkiverse.rocm.runtime.process.LlamaServerException;

/** A model could not be pulled from the hub or found in the cache; the message says why and what to do. */
public class HubException extends LlamaServerException {

    private final int status;

    public HubException(String message) {
        this(message, 0);
    }

    public HubException(String message, int status) {
        super(message);
        this.status = status;
    }

    public HubException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** The hub's HTTP status, or 0 when it did not answer with one. */
    public int status() {
        return status;
    }
}
