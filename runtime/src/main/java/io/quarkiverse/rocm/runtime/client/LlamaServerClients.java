package io.quarkiverse.rocm.runtime.client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.rocm.runtime.config.ModelConfig;
import io.quarkiverse.rocm.runtime.config.RocmRuntimeConfig;
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.vertx.core.Vertx;

/** One pooled client per model server, on the application's Vert.x; closed with the application. */
@Singleton
public class LlamaServerClients {

    /** Connections per server; the gate, not the pool, bounds the requests. */
    static final int POOL_SIZE = 64;

    @Inject
    Vertx vertx;

    @Inject
    ModelServers servers;

    @Inject
    RocmRuntimeConfig config;

    @Inject
    Instance<ExchangeObserver> observers;

    private final Map<String, LlamaServerClient> clients = new ConcurrentHashMap<>();
    private volatile ExchangeObserver observer;

    /** The client of the model with this configuration name. */
    public LlamaServerClient client(String modelName) {
        return clients.computeIfAbsent(modelName, n -> {
            ModelServer server = servers.require(n);
            ModelConfig m = config.models().get(n);
            // one waiting request per slot inside llama-server: a slot that frees up starts the next at once
            Gate gate = new Gate(m.maxInFlight().orElse(2 * server.spec().parallel()), m.maxQueue(),
                    m.callerMaxInFlight().orElse(Gate.UNLIMITED), m.callerMaxQueue().orElse(Gate.UNLIMITED));
            LlamaServerClient client = new LlamaServerClient(vertx, server, POOL_SIZE, servers.lazy(), gate,
                    servers.scheduler().manages(n) ? servers.scheduler() : null);
            client.observer(observer());
            return client;
        });
    }

    /** Every observer of the exchanges (metrics, traces, the Dev UI's recent exchanges) as one. */
    public ExchangeObserver observer() {
        ExchangeObserver o = observer;
        if (o == null) {
            o = observer = ExchangeObserver.all(observers.stream().toList());
        }
        return o;
    }

    public ModelServers servers() {
        return servers;
    }

    @PreDestroy
    void close() {
        clients.values().forEach(LlamaServerClient::close);
        clients.clear();
    }
}
