package io.quarkiverse.rocm.runtime.metrics;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.quarkiverse.rocm.runtime.hub.Puller;

/**
 * The pulls of models named by their Hugging Face repository: bytes received, pulls by outcome and their duration,
 * pulls in progress; read from the counts the puller keeps, so a pull made before the metrics existed (an eager start)
 * is counted too.
 */
final class PullMeters implements MeterBinder {

    private final Puller puller;

    PullMeters(Puller puller) {
        this.puller = puller;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("rocm.pull.received", puller, Puller::receivedBytes).baseUnit("bytes")
                .description("Bytes received from the Hugging Face hub").register(registry);
        Gauge.builder("rocm.pull.active", puller, p -> p.active().size())
                .description("Pulls of models in progress").register(registry);
        for (Puller.Outcome o : Puller.Outcome.values()) {
            FunctionCounter.builder("rocm.pull.pulls", puller, p -> p.pulls(o)).tag("outcome", o.tag())
                    .description("Pulls of models by outcome (downloaded, cached: nothing to download, failed,"
                            + " cancelled)")
                    .register(registry);
            FunctionTimer.builder("rocm.pull.duration", puller, p -> p.pulls(o), p -> p.pullNanos(o),
                    TimeUnit.NANOSECONDS).tag("outcome", o.tag()).description("Time the pulls took").register(registry);
        }
    }
}
