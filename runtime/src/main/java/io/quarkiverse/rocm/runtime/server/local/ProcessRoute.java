package io.quarkiverse.rocm.runtime.server.local;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.quarkiverse.rocm.runtime.server.Endpoint;
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.Route;

/**
 * The route of a request to a local llama-server: the endpoint it has when the request is let in. Nothing to hold or
 * release; a broken connection is explained by how the process ended, which is known a moment after the connection
 * breaks (so it waits up to a second for it).
 */
final class ProcessRoute implements Route {

    private final LocalServer server;

    ProcessRoute(LocalServer server) {
        this.server = server;
    }

    @Override
    public Endpoint endpoint(Endpoint ready) {
        return ready;
    }

    @Override
    public Endpoint next(Throwable refused) {
        return null;
    }

    @Override
    public void watch(Runnable abort) {
        // the process's exit ends its connections
    }

    @Override
    public void release() {
        // nothing held
    }

    @Override
    public CompletableFuture<String> lost(Endpoint endpoint, Throwable broken) {
        String name = server.spec().displayName();
        return server.exitOf(endpoint.pid()).orTimeout(1, TimeUnit.SECONDS).handle((how, notExited) -> {
            if (notExited != null) {
                return "the connection to llama-server '" + name + "' broke (" + broken.getMessage() + ")";
            }
            ModelServer.State state = server.state();
            String next = state == ModelServer.State.RESTARTING || state == ModelServer.State.STARTING
                    || state == ModelServer.State.READY ? "; it is being restarted, so a retry will be served"
                            : " (now " + state.name().toLowerCase() + ": " + server.reason() + ")";
            return "llama-server '" + name + "' (pid " + endpoint.pid() + ") went away during the request: it " + how
                    + next;
        });
    }

    @Override
    public String unavailable() {
        return "";
    }
}
