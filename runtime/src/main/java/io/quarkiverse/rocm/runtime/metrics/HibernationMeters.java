package io.quarkiverse.rocm.runtime.metrics;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.quarkiverse.rocm.runtime.hibernation.Hibernator;
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.ModelServers;

/**
 * The prompt caches of models with {@code kv-cache.hibernate}: slots saved and restored, bytes written, prompt tokens
 * restored (what the next turns did not evaluate again), the time both took, and the bytes saved now; read from the
 * counts each model's {@link Hibernator} keeps.
 */
final class HibernationMeters implements MeterBinder {

    private final ModelServers servers;

    HibernationMeters(ModelServers servers) {
        this.servers = servers;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (ModelServer s : servers.all()) {
            if (s.hibernator().isEmpty()) {
                continue;
            }
            Hibernator h = s.hibernator().get();
            Tags tags = Tags.of("model", s.spec().alias());
            FunctionTimer.builder("rocm.kv_cache.saves", h, Hibernator::saves, Hibernator::saveNanos,
                    TimeUnit.NANOSECONDS).tags(tags)
                    .description("Slots whose prompt cache was saved before a planned stop, and the time the saves took")
                    .register(registry);
            FunctionTimer.builder("rocm.kv_cache.restores", h, Hibernator::restores, Hibernator::restoreNanos,
                    TimeUnit.NANOSECONDS).tags(tags)
                    .description("Slots whose saved prompt cache was restored before a start was ready, and the time"
                            + " the restores took")
                    .register(registry);
            FunctionCounter.builder("rocm.kv_cache.written", h, Hibernator::bytesWritten).tags(tags).baseUnit("bytes")
                    .description("Bytes of prompt caches saved").register(registry);
            FunctionCounter.builder("rocm.kv_cache.restored.tokens", h, Hibernator::tokensRestored).tags(tags)
                    .description("Prompt tokens restored: what the next turns of their conversations did not evaluate"
                            + " again")
                    .register(registry);
            Gauge.builder("rocm.kv_cache.saved", h, Hibernator::savedBytes).tags(tags).baseUnit("bytes")
                    .description("Bytes of the model's prompt caches saved on disk now").register(registry);
        }
    }
}
