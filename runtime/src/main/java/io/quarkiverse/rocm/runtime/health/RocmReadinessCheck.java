package io.quarkiverse.rocm.runtime.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.Readiness;

import io.quarkiverse.rocm.runtime.server.ModelServer;

/**
 * Readiness: every model's llama-server is up and able to take a request (ready, and its canary answers). A lazily
 * started model that has not been used yet is ready: the first request starts it.
 */
@Readiness
@ApplicationScoped
public class RocmReadinessCheck extends ModelServerHealth {

    @Override
    String problem(ModelServer server) {
        ModelServer.State s = server.state();
        if (s == ModelServer.State.STOPPED && servers.lazy()) {
            return null;
        }
        if (s != ModelServer.State.READY) {
            return "not ready: " + s.name().toLowerCase() + " (" + server.reason() + ")";
        }
        return server.livenessProblem();
    }

    @Override
    String checkName() {
        return "llama-server readiness";
    }
}
