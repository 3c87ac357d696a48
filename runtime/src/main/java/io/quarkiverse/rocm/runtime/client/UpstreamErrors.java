package io.quarkiverse.rocm.runtime.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.Replica;
import io.quarkiverse.rocm.runtime.server.ReplicaPool;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * The one place that turns what went wrong on the way to a llama-server into an {@link UpstreamException}: its error
 * answers (every non-2xx, {@code {"error":{"message","type"}}} parsed once) and transport failures (explained with what
 * happened to the process meanwhile).
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
        return new UpstreamException(UpstreamException.Kind.HTTP, status,
                "llama-server '" + server.spec().displayName() + "' answered " + status + ": " + message, message,
                null).withUpstreamType(type).withBody(body);
    }

    /**
     * A replica's connection broke during the request: the replica leaves the rotation at once (its probes bring it
     * back), and the caller learns that a retry goes to the others.
     */
    private UpstreamException replicaLost(Throwable e, ModelServer.Endpoint endpoint, String who) {
        ReplicaPool pool = server.pool().orElseThrow();
        Replica r = pool.replica(endpoint);
        String why;
        if (r != null && !r.inRotation()) { // already taken out, which cut this request: say why it was
            why = "it was taken out of rotation: " + r.problem();
        } else {
            why = describe(e);
            if (r != null) {
                pool.failed(r, "its connection broke during a request (" + why + ")");
            }
        }
        int left = pool.inRotation();
        return new UpstreamException(UpstreamException.Kind.CONNECTION_LOST, who + " went away during the request ("
                + why + "); it is out of rotation until it answers its probes again, "
                + (left > 0 ? "and a retry goes to the other " + left + " in rotation"
                        : "and no replica is in rotation now: " + pool.problems()),
                e);
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
    CompletableFuture<UpstreamException> failure(Throwable e, ModelServer.Endpoint endpoint, long timeoutMs) {
        if (e instanceof UpstreamException u) {
            return CompletableFuture.completedFuture(u);
        }
        String name = server.spec().displayName();
        String who = endpoint != null && endpoint.replica() != null
                ? "replica " + endpoint.replica() + " of model '" + name + "'"
                : "llama-server '" + name + "'";
        if (e instanceof java.util.concurrent.TimeoutException
                || e.getClass().getName().endsWith("NoStackTraceTimeoutException")) {
            return CompletableFuture.completedFuture(new UpstreamException(UpstreamException.Kind.TIMEOUT,
                    who + " did not answer within " + timeoutMs + " ms", e));
        }
        if (endpoint != null && endpoint.replica() != null) {
            return CompletableFuture.completedFuture(replicaLost(e, endpoint, who));
        }
        if (endpoint == null) {
            return CompletableFuture.completedFuture(new UpstreamException(UpstreamException.Kind.CONNECTION_LOST,
                    "the connection to llama-server '" + name + "' failed (" + e.getMessage() + ")", e));
        }
        return server.exitOf(endpoint.pid()).orTimeout(1, TimeUnit.SECONDS).handle((how, notExited) -> {
            if (notExited != null) {
                return new UpstreamException(UpstreamException.Kind.CONNECTION_LOST,
                        "the connection to llama-server '" + name + "' broke (" + e.getMessage() + ")", e);
            }
            ModelServer.State state = server.state();
            String next = state == ModelServer.State.RESTARTING || state == ModelServer.State.STARTING
                    || state == ModelServer.State.READY ? "; it is being restarted, so a retry will be served"
                            : " (now " + state.name().toLowerCase() + ": " + server.reason() + ")";
            return new UpstreamException(UpstreamException.Kind.CONNECTION_LOST, "llama-server '" + name + "' (pid "
                    + endpoint.pid() + ") went away during the request: it " + how + next, e);
        });
    }
}
