package io.quarkiverse.rocm.deployment.tracing;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;

/** Waits for the tracing tests' spans. */
final class Spans {

    private Spans() {
    }

    /** The first finished span that matches, within 20 s; else the error lists every finished span. */
    static SpanData await(InMemorySpanExporter exporter, Predicate<SpanData> which) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            Optional<SpanData> found = exporter.getFinishedSpanItems().stream().filter(which).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no such span among " + exporter.getFinishedSpanItems().stream()
                        .map(s -> s.getName() + " " + s.getAttributes()).toList());
            }
            Thread.sleep(20);
        }
    }
}
