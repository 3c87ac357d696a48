package io.quarkiverse.rocm.runtime.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.Readiness;

import io.quarkiverse.rocm.runtime.server.ModelServer;

/**
 * Readiness: every model can take a request: its llama-server is ready and its canary answers, or it is not loaded
 * (not used yet, or unloaded by the scheduler's policy), and the next request loads it. A model whose RPC worker
 * does not accept connections is not ready (but alive: restarting the application would not bring the worker back).
 */
@Readiness
@ApplicationScoped
public class RocmReadinessCheck extends ModelServerHealth {

    @Override
    String problem(ModelServer server) {
        ModelServer.State s = server.state();
        if (s == ModelServer.State.STOPPED) {
            return null; // not loaded yet, or unloaded by policy: it can serve, the next request loads it
        }
        if (s != ModelServer.State.READY) {
            return "not ready: " + s.name().toLowerCase() + " (" + server.reason() + ")";
        }
        return server.readinessProblem();
    }

    @Override
    String checkName() {
        return "llama-server readiness";
    }
}
