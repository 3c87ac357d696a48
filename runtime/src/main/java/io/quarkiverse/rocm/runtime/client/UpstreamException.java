package io.quarkiverse.rocm.runtime.client;

/**
 * A request to llama-server failed: why, and for HTTP errors the status and llama-server's own message.
 */
public class UpstreamException extends RuntimeException {

    /** What went wrong. */
    public enum Kind {
        /** The server is not ready (starting, restarting, stopped or failed) and did not become ready in time. */
        UNAVAILABLE,
        /** The connection broke during the request: the server crashed or was stopped. */
        CONNECTION_LOST,
        /** No answer (or, streaming, no new data) within the timeout. */
        TIMEOUT,
        /** llama-server answered with an error status. */
        HTTP,
        /** The model's queue is full: retry later. */
        BUSY
    }

    private final Kind kind;
    private final int status;
    private final String upstreamMessage;
    private io.vertx.core.buffer.Buffer body;
    private String upstreamType;

    public UpstreamException(Kind kind, int status, String message, String upstreamMessage, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.upstreamMessage = upstreamMessage;
    }

    public UpstreamException(Kind kind, String message, Throwable cause) {
        this(kind, 0, message, null, cause);
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status llama-server answered with (kind {@link Kind#HTTP}), else 0. */
    public int status() {
        return status;
    }

    /** The HTTP status this failure maps to: the upstream one, 429 busy, 503 unavailable, 504 timeout, 0 broken. */
    public int statusOrZero() {
        return switch (kind) {
            case HTTP -> status;
            case BUSY -> 429;
            case UNAVAILABLE -> 503;
            case TIMEOUT -> 504;
            case CONNECTION_LOST -> 0;
        };
    }

    /** llama-server's whole error answer, when it sent one. */
    public io.vertx.core.buffer.Buffer body() {
        return body;
    }

    UpstreamException withBody(io.vertx.core.buffer.Buffer body) {
        this.body = body;
        return this;
    }

    UpstreamException withUpstreamType(String type) {
        this.upstreamType = type;
        return this;
    }

    /** llama-server's {@code error.type} ({@code exceed_context_size_error}, say), when it sent one. */
    public String upstreamType() {
        return upstreamType;
    }

    /** llama-server's {@code error.message}, when it sent one. */
    public String upstreamMessage() {
        return upstreamMessage;
    }
}
