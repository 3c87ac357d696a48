package io.quarkiverse.rocm.runtime.metrics;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.quarkiverse.rocm.runtime.scheduling.Scheduler;
import io.quarkiverse.rocm.runtime.scheduling.UnloadReason;
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.ModelServers;

/**
 * Which models run: how many are loaded, requests waiting for a load, each model's loads, their duration, its unloads
 * by reason and its memory as planned and as measured; read from the counts the scheduler keeps, so the loads of the
 * start are counted whenever the metrics come.
 */
final class SchedulerMeters implements MeterBinder {

    private final ModelServers servers;

    SchedulerMeters(ModelServers servers) {
        this.servers = servers;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Scheduler scheduler = servers.scheduler();
        Gauge.builder("rocm.models.loaded", scheduler, Scheduler::loadedCount)
                .description("Models whose llama-server is loaded").register(registry);
        Gauge.builder("rocm.models.waiting", scheduler, Scheduler::waiting)
                .description("Requests waiting for a model to be loaded").register(registry);
        for (ModelServer s : servers.all()) {
            if (!scheduler.manages(s.name())) {
                continue; // replicas: loaded elsewhere, their memory is their hosts'
            }
            String name = s.name();
            Tags tags = Tags.of("model", s.spec().alias());
            Gauge.builder("rocm.model.memory.planned", servers, x -> x.plannedBytes(name)).tags(tags).baseUnit("bytes")
                    .description("Memory the model needs, estimated from its GGUF").register(registry);
            Gauge.builder("rocm.model.memory.measured", servers, x -> x.measuredBytes(name)).tags(tags)
                    .baseUnit("bytes").description("Memory the model used the last time it was loaded (0: not yet)")
                    .register(registry);
            FunctionCounter.builder("rocm.model.loads", scheduler, x -> x.loads(name)).tags(tags)
                    .description("Loads of the model's llama-server").register(registry);
            FunctionTimer.builder("rocm.model.load.duration", scheduler, x -> x.loads(name), x -> x.loadNanos(name),
                    TimeUnit.NANOSECONDS).tags(tags).description("Time the loads took").register(registry);
            for (UnloadReason reason : UnloadReason.values()) {
                FunctionCounter.builder("rocm.model.unloads", scheduler, x -> x.unloads(name, reason))
                        .tags(tags.and("reason", reason.name().toLowerCase()))
                        .description("Unloads of the model's llama-server, by reason (idle, evicted, operator,"
                                + " cancelled)")
                        .register(registry);
            }
        }
    }
}
