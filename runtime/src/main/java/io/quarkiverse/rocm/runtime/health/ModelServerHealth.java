package io.quarkiverse.rocm.runtime.health;

import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.quarkiverse.rocm.runtime.gpu.GpuDevice;
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.quarkiverse.rocm.runtime.server.Replica;

/**
 * The common part of the three checks: one response for all models, DOWN when any model is, with each model's
 * state, reason, PID, port, restarts and VRAM in the data (keys prefixed with the model's API name).
 */
abstract class ModelServerHealth implements HealthCheck {

    @Inject
    ModelServers servers;

    /** Why {@code server} fails this check, or null when it passes. */
    abstract String problem(ModelServer server);

    abstract String checkName();

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named(checkName()).up();
        for (ModelServer s : servers.all()) {
            String p = s.spec().alias() + ".";
            b.withData(p + "state", s.state().name());
            b.withData(p + "reason", s.reason());
            s.pid().ifPresent(pid -> b.withData(p + "pid", pid));
            ModelServer.Endpoint e = s.endpoint();
            if (e != null) {
                b.withData(p + "port", e.port());
            }
            b.withData(p + "restarts", s.restarts());
            if (s.spec().model() != null) {
                b.withData(p + "model", s.spec().model().summary());
            }
            s.pool().ifPresent(pool -> {
                for (Replica r : pool.replicas()) {
                    String q = p + "replica." + r.index() + ".";
                    b.withData(q + "url", r.url());
                    b.withData(q + "in-rotation", r.inRotation());
                    b.withData(q + "in-flight", r.inFlight());
                    if (r.latencyMillis() >= 0) {
                        b.withData(q + "canary.ms", r.latencyMillis());
                    }
                    if (r.problem() != null) {
                        b.withData(q + "problem", r.problem());
                    }
                }
            });
            if (!s.spec().rpcWorkers().isEmpty()) {
                b.withData(p + "rpc-workers", s.spec().rpcWorkers().argument());
            }
            if (s.canaryLatencyMillis() >= 0) {
                b.withData(p + "canary.ms", s.canaryLatencyMillis());
            }
            for (GpuDevice g : s.gpus()) {
                GpuDevice.Vram v = g.vram();
                b.withData(p + "gpu." + g.card() + ".vram.used", v.used());
                b.withData(p + "gpu." + g.card() + ".vram.total", v.total());
            }
            String problem = problem(s);
            if (problem != null) {
                b.down().withData(p + "problem", problem);
            }
        }
        return b.build();
    }
}
