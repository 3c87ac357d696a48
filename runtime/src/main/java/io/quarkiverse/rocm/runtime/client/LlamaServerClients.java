package io.quarkiverse.rocm.runtime.client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.vertx.core.Vertx;

/** One pooled client per model server, on the application's Vert.x; closed with the application. */
@Singleton
public class LlamaServerClients {

    /** Connections per server: requests beyond llama-server's slots wait inside llama-server, not in the JVM. */
    static final int POOL_SIZE = 64;

    @Inject
    Vertx vertx;

    @Inject
    ModelServers servers;

    private final Map<String, LlamaServerClient> clients = new ConcurrentHashMap<>();

    /** The client of the model with this configuration name. */
    public LlamaServerClient client(String modelName) {
        return clients.computeIfAbsent(modelName,
                n -> new LlamaServerClient(vertx, servers.require(n), POOL_SIZE, servers.lazy()));
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
