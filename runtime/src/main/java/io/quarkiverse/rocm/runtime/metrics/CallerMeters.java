package io.quarkiverse.rocm.runtime.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Requests, tokens and queue wait per model and caller ({@code rocm_caller_requests_total},
 * {@code rocm_caller_tokens_total}, {@code rocm_caller_queue_wait_seconds}), tagged with the caller's name (an API
 * key's, an authenticated principal's, {@code application}, {@code anonymous}): only when
 * {@code quarkus.rocm.metrics.caller-tag=true}, as every caller adds time series.
 */
final class CallerMeters {

    /** The meters of one model and caller, resolved once. */
    record OfCaller(Counter requests, Counter promptTokens, Counter completionTokens, Timer queueWait) {
    }

    private final MeterRegistry registry;
    private final Map<String, OfCaller> meters = new ConcurrentHashMap<>();

    CallerMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    OfCaller of(String model, String caller) {
        String key = model + '\u0000' + caller;
        OfCaller m = meters.get(key);
        return m != null ? m
                : meters.computeIfAbsent(key, k -> new OfCaller(
                        Counter.builder("rocm.caller.requests").tags("model", model, "caller", caller)
                                .description("Requests, by model and caller").register(registry),
                        Counter.builder("rocm.caller.tokens").tags("model", model, "caller", caller, "type", "prompt")
                                .description("Tokens processed, by model and caller").register(registry),
                        Counter.builder("rocm.caller.tokens").tags("model", model, "caller", caller, "type", "completion")
                                .description("Tokens processed, by model and caller").register(registry),
                        Timer.builder("rocm.caller.queue.wait").tags("model", model, "caller", caller)
                                .description("Time requests waited for a place at llama-server, by model and caller")
                                .minimumExpectedValue(Duration.ofNanos(100_000)).register(registry)));
    }
}
