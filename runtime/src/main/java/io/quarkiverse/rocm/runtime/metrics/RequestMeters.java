package io.quarkiverse.rocm.runtime.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkiverse.rocm.runtime.client.ExchangeObserver;
import io.quarkiverse.rocm.runtime.client.Usage;

/**
 * The meters of every request to a model (chat model and OpenAI API alike), the one {@link ExchangeObserver}: requests
 * by model, endpoint and status; time to first token and inter-token latency as histograms (llama-server has none);
 * queue wait; tokens and generation speed; and, when the operator turns them on, requests, tokens and queue wait per
 * caller ({@link CallerMeters}). Each meter is resolved once per model, endpoint and status: the token path
 * does no lookups.
 */
final class RequestMeters implements ExchangeObserver {

    private final MeterRegistry registry;
    /** Whether a model name is one of the application's (others are refusals before a model was chosen). */
    private final Predicate<String> known;
    private final Map<String, ModelMeters> meters = new ConcurrentHashMap<>();
    /** The meters per caller, when the operator asked for them; null otherwise. */
    private final CallerMeters callers;

    RequestMeters(MeterRegistry registry, Predicate<String> known, boolean perCaller) {
        this.registry = registry;
        this.known = known;
        this.callers = perCaller ? new CallerMeters(registry) : null;
    }

    private ModelMeters meters(String model) {
        return meters.computeIfAbsent(model, m -> new ModelMeters(registry, m));
    }

    @Override
    public Exchange start(String model, String endpoint, Request request) {
        CallerMeters.OfCaller caller = callers == null ? null : callers.of(model, request.caller());
        if (caller != null) {
            caller.requests().increment();
        }
        if (!known.test(model)) {
            // refused before a model was chosen: counted, but no per-model histograms for it
            Ended ended = this.ended.computeIfAbsent(model + " " + endpoint, k -> new Ended(registry, model, endpoint));
            return new Exchange() {
                @Override
                public void end(int status) {
                    ended.of(status).requests.increment();
                }
            };
        }
        return new Observed(meters(model), model, endpoint, caller);
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
        final CallerMeters.OfCaller caller;

        Observed(ModelMeters m, String model, String endpoint, CallerMeters.OfCaller caller) {
            this.m = m;
            this.model = model;
            this.endpoint = endpoint;
            this.ended = m.ended(endpoint);
            this.firstToken = m.firstToken(endpoint);
            this.caller = caller;
        }

        @Override
        public void admitted() {
            long waited = System.nanoTime() - start;
            m.queueWait.record(waited, TimeUnit.NANOSECONDS);
            if (caller != null) {
                caller.queueWait().record(waited, TimeUnit.NANOSECONDS);
            }
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
        public void usage(Usage usage) {
            m.promptTokens.increment(usage.promptTokens());
            m.completionTokens.increment(usage.completionTokens());
            if (usage.tokensPerSecond() > 0) {
                m.tokensPerSecond.record(usage.tokensPerSecond());
            }
            if (caller != null) {
                caller.promptTokens().increment(usage.promptTokens());
                caller.completionTokens().increment(usage.completionTokens());
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
