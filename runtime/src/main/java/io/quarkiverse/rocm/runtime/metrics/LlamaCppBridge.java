package io.quarkiverse.rocm.runtime.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkiverse.rocm.runtime.client.ExchangeObserver;
import io.quarkiverse.rocm.runtime.client.LlamaServerClients;
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.vertx.core.http.HttpMethod;

/**
 * llama-server's own {@code llamacpp:*} metrics, read from each local ready server's {@code /metrics} and bridged into
 * the application's registry (each sample registered once, then updated).
 */
final class LlamaCppBridge {

    private static final Logger LOG = Logger.getLogger(LlamaCppBridge.class);

    private final MeterRegistry registry;
    private final ModelServers servers;
    private final LlamaServerClients clients;
    private final Map<String, Map<String, Double>> bridged = new ConcurrentHashMap<>();

    LlamaCppBridge(MeterRegistry registry, ModelServers servers, LlamaServerClients clients) {
        this.registry = registry;
        this.servers = servers;
        this.clients = clients;
    }

    /** Reads every local ready server's {@code /metrics} once. */
    void poll() {
        for (ModelServer s : servers.all()) {
            if (s.state() != ModelServer.State.READY || !s.loadable()) {
                continue; // each replica's /metrics is scraped where it runs: one model tag cannot tell them apart
            }
            clients.client(s.name()).send(HttpMethod.GET, "/metrics", null, 5000, false, ExchangeObserver.Request.OWN)
                    .whenComplete((r, e) -> {
                        if (e != null || r.status() != 200) {
                            LOG.debugf("Cannot read /metrics of '%s': %s", s.spec().alias(), e != null ? e.getMessage()
                                    : "status " + r.status());
                            return;
                        }
                        bridge(s.spec().alias(), r.body().toString());
                    });
        }
    }

    /** Registers each {@code llamacpp:*} sample once, then updates the value it reads. */
    void bridge(String model, String prometheusText) {
        Map<String, Double> values = bridged.computeIfAbsent(model, m -> new ConcurrentHashMap<>());
        for (Map.Entry<String, Double> sample : PrometheusText.parse(prometheusText).entrySet()) {
            String name = sample.getKey(); // llamacpp:prompt_tokens_total
            if (!name.startsWith("llamacpp:")) {
                continue;
            }
            if (values.put(name, sample.getValue()) == null) {
                String base = "llamacpp." + name.substring("llamacpp:".length());
                if (base.endsWith("_total")) {
                    FunctionCounter.builder(base.substring(0, base.length() - "_total".length()), values,
                            v -> v.getOrDefault(name, 0.0)).tag("model", model)
                            .description("llama-server " + name).register(registry);
                } else {
                    Gauge.builder(base, values, v -> v.getOrDefault(name, Double.NaN)).tag("model", model)
                            .description("llama-server " + name).register(registry);
                }
                if (name.equals("llamacpp:requests_processing")) {
                    Gauge.builder("rocm.slots.busy", values, v -> v.getOrDefault(name, Double.NaN)).tag("model", model)
                            .description("Slots of llama-server generating now").register(registry);
                }
            }
        }
    }
}
