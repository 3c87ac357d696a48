package io.quarkiverse.rocm.runtime.client;

import java.util.concurrent.CompletableFuture;

import io.quarkiverse.rocm.runtime.server.Endpoint;
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.Route;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * The one place that turns what went wrong on the way to a llama-server into an {@link UpstreamException}: its error
 * answers (every non-2xx, {@code {"error":{"message","type"}}} parsed once) and transport failures (explained by the
 * request's {@link Route}: what happened to the process or the replica meanwhile).
 */
final class UpstreamErrors {

    private final ModelServer server;

    UpstreamErrors(ModelServer server) {
        this.server = server;
    }

    /** An error answer: llama-server's {@code {"error":{"message","type"}}} body when it has one, else its text. */
    UpstreamException httpError(int status, Buffer body) {
        String text = body == null ? "" : body.toString();
        String message = text;
        String type = null;
        try {
            Object err = new JsonObject(text).getValue("error");
            if (err instanceof JsonObject o && o.getString("message") != null) {
                message = o.getString("message");
                type = o.getString("type");
            } else if (err instanceof String s) {
                message = s;
            }
        } catch (RuntimeException notJson) {
            // keep the raw text
        }
        if ("exceed_context_size_error".equals(type)) { // say what to change, where
            message = message + ". Shorten the conversation, or raise " + server.spec().property("context-size") + " ("
                    + server.spec().contextSize() + " tokens per request now).";
        }
        return new UpstreamException(UpstreamException.Kind.HTTP, status,
                "llama-server '" + server.spec().displayName() + "' answered " + status + ": " + message, message,
                null).withUpstreamType(type).withBody(body);
    }

    /** A transport failure in a few words: its message, or its type. */
    static String describe(Throwable e) {
        Throwable t = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    /**
     * Explains a transport failure with what happened to the server meanwhile. A connection breaks a moment before
     * the supervisor sees its process exit, so a broken connection waits (up to a second) to learn whether the
     * process died, and how.
     */
    CompletableFuture<UpstreamException> failure(Throwable e, Route route, Endpoint endpoint, long timeoutMs) {
        if (e instanceof UpstreamException u) {
            return CompletableFuture.completedFuture(u);
        }
        String name = server.spec().displayName();
        if (e instanceof java.util.concurrent.TimeoutException
                || e.getClass().getName().endsWith("NoStackTraceTimeoutException")) {
            String who = endpoint != null ? endpoint.describe(name) : "llama-server '" + name + "'";
            return CompletableFuture.completedFuture(new UpstreamException(UpstreamException.Kind.TIMEOUT,
                    who + " did not answer within " + timeoutMs + " ms", e));
        }
        if (endpoint == null) {
            return CompletableFuture.completedFuture(new UpstreamException(UpstreamException.Kind.CONNECTION_LOST,
                    "the connection to llama-server '" + name + "' failed (" + e.getMessage() + ")", e));
        }
        return route.lost(endpoint, e)
                .thenApply(what -> new UpstreamException(UpstreamException.Kind.CONNECTION_LOST, what, e));
    }
}
