package io.quarkiverse.rocm.runtime.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.Liveness;

import io.quarkiverse.rocm.runtime.server.ModelServer;

/**
 * Liveness: every model's llama-server is alive and its periodic canary request answers; a stopped (SIGSTOP),
 * deadlocked or wedged server is DOWN. A server that is restarting counts as alive: it is recovering.
 */
@Liveness
@ApplicationScoped
public class RocmLivenessCheck extends ModelServerHealth {

    @Override
    String problem(ModelServer server) {
        return server.livenessProblem();
    }

    @Override
    String checkName() {
        return "llama-server liveness";
    }
}
