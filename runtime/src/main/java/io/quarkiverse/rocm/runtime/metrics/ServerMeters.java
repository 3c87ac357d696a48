package io.quarkiverse.rocm.runtime.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.quarkiverse.rocm.runtime.client.Gate;
import io.quarkiverse.rocm.runtime.client.LlamaServerClients;
import io.quarkiverse.rocm.runtime.gpu.GpuDevice;
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.ModelServers;

/** Each model's server: up or not, its restarts, the requests at it and queued for it, its GPUs' VRAM. */
final class ServerMeters implements MeterBinder {

    private final ModelServers servers;
    private final LlamaServerClients clients;

    ServerMeters(ModelServers servers, LlamaServerClients clients) {
        this.servers = servers;
        this.clients = clients;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (ModelServer s : servers.all()) {
            Tags tags = Tags.of("model", s.spec().alias());
            Gate gate = clients.client(s.name()).gate(); // the client is observed: LlamaServerClients
            Gauge.builder("rocm.server.up", s, x -> x.state() == ModelServer.State.READY ? 1 : 0).tags(tags)
                    .description("1 when the model's llama-server is ready").register(registry);
            FunctionCounter.builder("rocm.server.restarts", s, ModelServer::restarts).tags(tags)
                    .description("Restarts of the model's llama-server after it exited unexpectedly").register(registry);
            Gauge.builder("rocm.requests.in.flight", gate, Gate::inFlight).tags(tags)
                    .description("Requests at llama-server").register(registry);
            Gauge.builder("rocm.requests.queued", gate, Gate::queued).tags(tags)
                    .description("Requests waiting for a place at llama-server").register(registry);
            for (GpuDevice gpu : s.gpus()) {
                Tags g = tags.and("device", gpu.card(), "gfx", gpu.gfxTarget());
                Gauge.builder("rocm.gpu.vram.used", gpu, d -> d.vram().used()).tags(g).baseUnit("bytes")
                        .register(registry);
                Gauge.builder("rocm.gpu.vram.total", gpu, d -> d.vram().total()).tags(g).baseUnit("bytes")
                        .register(registry);
            }
        }
    }
}
