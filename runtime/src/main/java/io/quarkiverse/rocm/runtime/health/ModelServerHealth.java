package io.quarkiverse.rocm.runtime.health;

import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.quarkiverse.rocm.runtime.gpu.GpuDevice;
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.quarkiverse.rocm.runtime.server.ModelStatus;
import io.quarkiverse.rocm.runtime.server.ReplicaStatus;

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
            ModelStatus st = ModelStatus.of(s, servers.scheduler());
            String p = st.alias() + ".";
            b.withData(p + "state", st.state().name());
            b.withData(p + "reason", st.reason());
            if (st.pid() != null) {
                b.withData(p + "pid", st.pid());
            }
            if (st.port() != null) {
                b.withData(p + "port", st.port());
            }
            if (st.socket() != null) {
                b.withData(p + "socket", st.socket());
            }
            b.withData(p + "restarts", st.restarts());
            st.file().ifPresent(f -> b.withData(p + "model", f.summary()));
            for (int i = 0; i < st.replicas().size(); i++) {
                ReplicaStatus r = st.replicas().get(i);
                String q = p + "replica." + i + ".";
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
            if (st.rpcWorkers() != null) {
                b.withData(p + "rpc-workers", st.rpcWorkers());
            }
            if (st.canaryMillis() != null) {
                b.withData(p + "canary.ms", st.canaryMillis());
            }
            for (GpuDevice g : st.gpus()) {
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
