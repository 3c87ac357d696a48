package io.quarkiverse.rocm.runtime.client;

import io.vertx.core.buffer.Buffer;

/**
 * Receives a server-sent-events answer of llama-server, on a Vert.x event loop thread: exactly one of
 * {@link #onComplete()} or {@link #onError(UpstreamException)} ends it (neither after a cancel).
 */
public interface SseListener {

    /** The answer started (status 200): a chance to note the time to first byte. */
    default void onStart() {
    }

    /** The payload of one {@code data:} line, {@code [DONE]} excluded. Valid only during the call. */
    void onData(Buffer data);

    /** {@code data: [DONE]} or the end of the answer. */
    void onComplete();

    void onError(UpstreamException error);
}
