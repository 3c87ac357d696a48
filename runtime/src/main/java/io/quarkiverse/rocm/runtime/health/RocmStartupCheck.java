package io.quarkiverse.rocm.runtime.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.Startup;

import io.quarkiverse.rocm.runtime.server.ModelServer;

/**
 * Startup: every model has been loaded once (with {@code quarkus.rocm.start=background} this is how an orchestrator
 * learns that a large model finished loading). Models that load on demand (lazily, found in the
 * models folder, or not fitting beside the others) count as started.
 */
@Startup
@ApplicationScoped
public class RocmStartupCheck extends ModelServerHealth {

    @Override
    String problem(ModelServer server) {
        if (server.hasBeenReady() || server.state() == ModelServer.State.STOPPED) { // loaded on demand
            return null;
        }
        return "model not loaded yet: " + server.state().name().toLowerCase() + " (" + server.reason() + ")";
    }

    @Override
    String checkName() {
        return "llama-server startup";
    }
}
