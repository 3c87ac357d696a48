package io.quarkiverse.rocm.runtime.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkiverse.rocm.runtime.client.ExchangeObserver;
import io.quarkiverse.rocm.runtime.client.LlamaServerClient;
import io.quarkiverse.rocm.runtime.client.LlamaServerClients;
import io.quarkiverse.rocm.runtime.config.RocmRuntimeConfig;
import io.quarkiverse.rocm.runtime.gpu.GpuDevice;
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.quarkiverse.rocm.runtime.server.Replica;
import io.quarkiverse.rocm.runtime.server.ReplicaPool;
import io.quarkiverse.rocm.runtime.server.Scheduler;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;

/**
 * Micrometer metrics of the model servers and of every request to them (chat model and OpenAI API alike): requests by
 * model, endpoint and status; time to first token and inter-token latency as histograms (llama-server has none);
 * tokens; generation speed; requests in flight and queued; restarts and up/down; VRAM; and llama-server's own
 * {@code llamacpp:*} metrics bridged into the same registry.
 */
@Singleton
public class RocmMetrics implements ExchangeObserver {

    private static final Logger LOG = Logger.getLogger(RocmMetrics.class);

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

    private final Map<String, ModelMeters> meters = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Double>> bridged = new ConcurrentHashMap<>();
    private long timer = -1;

    void start(@Observes StartupEvent event) {
        for (ModelServer s : servers.all()) {
            String model = s.spec().alias();
            LlamaServerClient client = clients.client(s.name()); // observed by this bean: LlamaServerClients
            Tags tags = Tags.of("model", model);
            Gauge.builder("rocm.server.up", s, x -> x.state() == ModelServer.State.READY ? 1 : 0).tags(tags)
                    .description("1 when the model's llama-server is ready").register(registry);
            FunctionCounter.builder("rocm.server.restarts", s, ModelServer::restarts).tags(tags)
                    .description("Restarts of the model's llama-server after it exited unexpectedly").register(registry);
            Gauge.builder("rocm.requests.in.flight", client.gate(), g -> g.inFlight()).tags(tags)
                    .description("Requests at llama-server").register(registry);
            Gauge.builder("rocm.requests.queued", client.gate(), g -> g.queued()).tags(tags)
                    .description("Requests waiting for a place at llama-server").register(registry);
            s.pool().ifPresent(pool -> replicaMetrics(model, pool));
            for (GpuDevice gpu : s.gpus()) {
                Tags g = tags.and("device", gpu.card(), "gfx", gpu.gfxTarget());
                Gauge.builder("rocm.gpu.vram.used", gpu, d -> d.vram().used()).tags(g).baseUnit("bytes")
                        .register(registry);
                Gauge.builder("rocm.gpu.vram.total", gpu, d -> d.vram().total()).tags(g).baseUnit("bytes")
                        .register(registry);
            }
        }
        schedulerMetrics();
        long every = Math.max(config.metrics().llamaServerInterval().toMillis(), 100);
        pollLlamaServers();
        timer = vertx.setPeriodic(every, id -> pollLlamaServers());
    }

    /**
     * Each remote replica: in rotation or not, this application's requests at it, requests sent, ejections, probe
     * latency; and how the balancer chose (the replica holding the conversation's prefix, none known, or it was too
     * busy).
     */
    private void replicaMetrics(String model, ReplicaPool pool) {
        for (Replica r : pool.replicas()) {
            Tags tags = Tags.of("model", model, "replica", r.url());
            Gauge.builder("rocm.replica.up", r, x -> x.inRotation() ? 1 : 0).tags(tags)
                    .description("1 while the remote replica is in rotation").register(registry);
            Gauge.builder("rocm.replica.in.flight", r, Replica::inFlight).tags(tags)
                    .description("This application's requests at the replica").register(registry);
            FunctionCounter.builder("rocm.replica.requests", r, Replica::requests).tags(tags)
                    .description("Requests sent to the replica").register(registry);
            FunctionCounter.builder("rocm.replica.ejections", r, Replica::ejections).tags(tags)
                    .description("Times the replica was taken out of rotation").register(registry);
            Gauge.builder("rocm.replica.canary.latency", r, x -> x.latencyMillis() < 0 ? Double.NaN
                    : x.latencyMillis() / 1000.0).tags(tags).baseUnit("seconds")
                    .description("How long the replica's last probe took").register(registry);
        }
        for (ReplicaPool.Choice c : ReplicaPool.Choice.values()) {
            FunctionCounter.builder("rocm.pool.choices", pool, p -> p.choices(c))
                    .tags("model", model, "choice", c.name().toLowerCase().replace('_', '-'))
                    .description("How the balancer chose replicas: affinity (where the conversation's prefix is"
                            + " cached), no-affinity (none known), too-busy (it was, so the least loaded)")
                    .register(registry);
        }
    }

    /** Loads, unloads by reason, load time, models loaded, and each model's memory as planned and as measured. */
    private void schedulerMetrics() {
        Scheduler scheduler = servers.scheduler();
        Gauge.builder("rocm.models.loaded", scheduler, Scheduler::loadedCount)
                .description("Models whose llama-server is loaded").register(registry);
        Gauge.builder("rocm.models.waiting", scheduler, Scheduler::waiting)
                .description("Requests waiting for a model to be loaded").register(registry);
        for (ModelServer s : servers.all()) {
            if (s.spec().remote()) {
                continue; // its memory is the replicas' hosts'
            }
            Tags tags = Tags.of("model", s.spec().alias());
            Gauge.builder("rocm.model.memory.planned", s, x -> x.spec().plannedBytes()).tags(tags).baseUnit("bytes")
                    .description("Memory the model needs, estimated from its GGUF").register(registry);
            Gauge.builder("rocm.model.memory.measured", servers, x -> x.measuredBytes(s.name())).tags(tags)
                    .baseUnit("bytes").description("Memory the model used the last time it was loaded (0: not yet)")
                    .register(registry);
        }
        scheduler.addListener(new Scheduler.Listener() {
            @Override
            public void loaded(String model, Duration took, long bytes) {
                String alias = alias(model);
                Counter.builder("rocm.model.loads").tag("model", alias).description("Loads of the model's llama-server")
                        .register(registry).increment();
                Timer.builder("rocm.model.load.duration").tag("model", alias).description("Time a load took")
                        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10))
                        .maximumExpectedValue(Duration.ofMinutes(10)).register(registry).record(took);
            }

            @Override
            public void unloaded(String model, Scheduler.UnloadReason reason) {
                Counter.builder("rocm.model.unloads").tags("model", alias(model), "reason", reason.name().toLowerCase())
                        .description("Unloads of the model's llama-server, by reason (idle, evicted, operator,"
                                + " cancelled)")
                        .register(registry).increment();
            }
        });
    }

    private String alias(String model) {
        return servers.byName(model).map(s -> s.spec().alias()).orElse(model);
    }

    @PreDestroy
    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    // ------------------------------------------------------------------ llama-server's own /metrics

    private void pollLlamaServers() {
        for (ModelServer s : servers.all()) {
            if (s.state() != ModelServer.State.READY || s.spec().remote()) {
                continue; // each replica's /metrics is scraped where it runs: one model tag cannot tell them apart
            }
            clients.client(s.name()).send(HttpMethod.GET, "/metrics", null, 5000, false).whenComplete((r, e) -> {
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

    // ------------------------------------------------------------------ per request

    private ModelMeters meters(String model) {
        return meters.computeIfAbsent(model, m -> new ModelMeters(registry, m));
    }

    @Override
    public Exchange start(String model, String endpoint) {
        if (servers.byAlias(model).isEmpty()) {
            // refused before a model was chosen: counted, but no per-model histograms for it
            Ended ended = this.ended.computeIfAbsent(model + " " + endpoint, k -> new Ended(registry, model, endpoint));
            return new Exchange() {
                @Override
                public void end(int status) {
                    ended.of(status).requests.increment();
                }
            };
        }
        return new Observed(meters(model), model, endpoint);
    }

    private final Map<String, Ended> ended = new ConcurrentHashMap<>();

    /**
     * The meters of how the requests of one model and endpoint ended, by status, each registered once: the request
     * path looks them up in a small map instead of asking the registry.
     */
    static final class Ended {
        private final MeterRegistry registry;
        private final String model, endpoint;
        private final Map<Integer, ByStatus> byStatus = new ConcurrentHashMap<>();

        Ended(MeterRegistry registry, String model, String endpoint) {
            this.registry = registry;
            this.model = model;
            this.endpoint = endpoint;
        }

        ByStatus of(int status) {
            ByStatus b = byStatus.get(status);
            return b != null ? b : byStatus.computeIfAbsent(status, s -> new ByStatus(registry, model, endpoint, s));
        }
    }

    /** The counter and duration timer of one model, endpoint and status. */
    static final class ByStatus {
        final Counter requests;
        final Timer duration;

        ByStatus(MeterRegistry registry, String model, String endpoint, int status) {
            Tags tags = Tags.of("model", model, "endpoint", endpoint, "status",
                    status == 0 ? "broken" : Integer.toString(status));
            requests = Counter.builder("rocm.requests").tags(tags)
                    .description("Requests, by model, endpoint and status (499: cancelled by the caller)")
                    .register(registry);
            duration = Timer.builder("rocm.request.duration").tags(tags).description("Time from the request to its end")
                    .register(registry);
        }
    }

    /** The meters of one model, resolved once: the token path does no lookups. */
    static final class ModelMeters {
        final Timer queueWait, interToken;
        final Counter promptTokens, completionTokens;
        final DistributionSummary tokensPerSecond;
        final Map<String, Timer> firstToken = new ConcurrentHashMap<>();
        final Map<String, Ended> ended = new ConcurrentHashMap<>();
        final MeterRegistry registry;
        final String model;

        ModelMeters(MeterRegistry registry, String model) {
            this.registry = registry;
            this.model = model;
            queueWait = Timer.builder("rocm.request.queue.wait").tag("model", model)
                    .description("Time requests waited for a place at llama-server").publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(100_000)).register(registry);
            interToken = Timer.builder("rocm.inter.token.latency").tag("model", model)
                    .description("Time between two streamed tokens").publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(10_000)).maximumExpectedValue(Duration.ofSeconds(10))
                    .register(registry);
            promptTokens = Counter.builder("rocm.tokens").tags("model", model, "type", "prompt")
                    .description("Tokens processed").register(registry);
            completionTokens = Counter.builder("rocm.tokens").tags("model", model, "type", "completion")
                    .description("Tokens processed").register(registry);
            tokensPerSecond = DistributionSummary.builder("rocm.tokens.per.second").tag("model", model)
                    .description("Generation speed of each answer, as llama-server measured it").register(registry);
        }

        Ended ended(String endpoint) {
            Ended e = ended.get(endpoint);
            return e != null ? e : ended.computeIfAbsent(endpoint, p -> new Ended(registry, model, p));
        }

        Timer firstToken(String endpoint) {
            return firstToken.computeIfAbsent(endpoint, e -> Timer.builder("rocm.time.to.first.token")
                    .tags("model", model, "endpoint", e).description("Time from the request to its first token")
                    .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100_000))
                    .register(registry));
        }
    }

    /** One request's observation. */
    final class Observed implements Exchange {
        final ModelMeters m;
        final String model, endpoint;
        final long start = System.nanoTime();
        long last;

        final Ended ended;
        final Timer firstToken;

        Observed(ModelMeters m, String model, String endpoint) {
            this.m = m;
            this.model = model;
            this.endpoint = endpoint;
            this.ended = m.ended(endpoint);
            this.firstToken = m.firstToken(endpoint);
        }

        @Override
        public void admitted() {
            m.queueWait.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }

        @Override
        public void firstToken() {
            last = System.nanoTime();
            firstToken.record(last - start, TimeUnit.NANOSECONDS);
        }

        @Override
        public void token() {
            long now = System.nanoTime();
            m.interToken.record(now - last, TimeUnit.NANOSECONDS);
            last = now;
        }

        @Override
        public void usage(int promptTokens, int completionTokens, double tokensPerSecond) {
            m.promptTokens.increment(promptTokens);
            m.completionTokens.increment(completionTokens);
            if (tokensPerSecond > 0) {
                m.tokensPerSecond.record(tokensPerSecond);
            }
        }

        @Override
        public void end(int status) {
            ByStatus b = ended.of(status);
            b.requests.increment();
            b.duration.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }
}
