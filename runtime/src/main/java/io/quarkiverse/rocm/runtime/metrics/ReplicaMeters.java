package io.quarkiverse.rocm.runtime.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.quarkiverse.rocm.runtime.server.BalanceChoice;
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.quarkiverse.rocm.runtime.server.ReplicaStatus;

/**
 * Each remote replica: in rotation or not, this application's requests at it, requests sent, ejections, probe
 * latency; and how each pool's balancer chose (the replica holding the conversation's prefix, none known, or it was
 * too busy).
 */
final class ReplicaMeters implements MeterBinder {

    private final ModelServers servers;

    ReplicaMeters(ModelServers servers) {
        this.servers = servers;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (ModelServer s : servers.all()) {
            String model = s.spec().alias();
            for (ReplicaStatus r : s.replicas()) {
                Tags tags = Tags.of("model", model, "replica", r.url());
                Gauge.builder("rocm.replica.up", r, x -> x.inRotation() ? 1 : 0).tags(tags)
                        .description("1 while the remote replica is in rotation").register(registry);
                Gauge.builder("rocm.replica.in.flight", r, ReplicaStatus::inFlight).tags(tags)
                        .description("This application's requests at the replica").register(registry);
                FunctionCounter.builder("rocm.replica.requests", r, ReplicaStatus::requests).tags(tags)
                        .description("Requests sent to the replica").register(registry);
                FunctionCounter.builder("rocm.replica.ejections", r, ReplicaStatus::ejections).tags(tags)
                        .description("Times the replica was taken out of rotation").register(registry);
                Gauge.builder("rocm.replica.canary.latency", r, x -> x.latencyMillis() < 0 ? Double.NaN
                        : x.latencyMillis() / 1000.0).tags(tags).baseUnit("seconds")
                        .description("How long the replica's last probe took").register(registry);
            }
            if (s.replicas().isEmpty()) {
                continue; // a local server chooses no replica
            }
            for (BalanceChoice c : BalanceChoice.values()) {
                FunctionCounter.builder("rocm.pool.choices", s, x -> x.choices(c))
                        .tags("model", model, "choice", c.name().toLowerCase().replace('_', '-'))
                        .description("How the balancer chose replicas: affinity (where the conversation's prefix is"
                                + " cached), no-affinity (none known), too-busy (it was, so the least loaded)")
                        .register(registry);
            }
        }
    }
}
