package io.quarkiverse.rocm.runtime.metrics;

import java.util.List;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.quarkiverse.rocm.runtime.client.ExchangeObserver;
import io.quarkiverse.rocm.runtime.client.LlamaServerClients;
import io.quarkiverse.rocm.runtime.config.RocmRuntimeConfig;
import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * The extension's Micrometer metrics, one binder per concern: the servers ({@link ServerMeters}), which models run
 * ({@link SchedulerMeters}), the remote replicas ({@link ReplicaMeters}), the pulls of models by name
 * ({@link PullMeters}), the saved prompt caches ({@link HibernationMeters}), every request ({@link RequestMeters}, which
 * this bean is as the clients' {@link ExchangeObserver}), and llama-server's own metrics bridged
 * ({@link LlamaCppBridge}).
 */
@Singleton
public class RocmMetrics implements ExchangeObserver {

    @Inject
    MeterRegistry registry;

    @Inject
    ModelServers servers;

    @Inject
    LlamaServerClients clients;

    @Inject
    RocmRuntimeConfig config;

    @Inject
    Vertx vertx;

    private volatile RequestMeters requests;
    private long timer = -1;

    void start(@Observes StartupEvent event) {
        for (MeterBinder binder : List.of(new ServerMeters(servers, clients), new SchedulerMeters(servers),
                new ReplicaMeters(servers), new PullMeters(servers.puller()), new HibernationMeters(servers))) {
            binder.bindTo(registry);
        }
        LlamaCppBridge bridge = new LlamaCppBridge(registry, servers, clients);
        bridge.poll();
        timer = vertx.setPeriodic(Math.max(config.metrics().llamaServerInterval().toMillis(), 100), id -> bridge.poll());
    }

    @Override
    public Exchange start(String model, String endpoint, Request request) {
        RequestMeters r = requests;
        if (r == null) {
            r = requests = new RequestMeters(registry, m -> servers.byAlias(m).isPresent(),
                    config.metrics().callerTag());
        }
        return r.start(model, endpoint, request);
    }

    @PreDestroy
    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
