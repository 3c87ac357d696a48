package io.quarkiverse.rocm.runtime.tracing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.quarkiverse.rocm.runtime.scheduling.LoadListener;
import io.quarkiverse.rocm.runtime.scheduling.UnloadReason;
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.quarkiverse.rocm.runtime.server.ServerWatcher;
import io.quarkus.runtime.StartupEvent;

/**
 * Spans of what happens to the models, each a trace of its own: {@code rocm.model.load} from a llama-server's start to
 * its readiness, {@code rocm.model.restart} from a crash to readiness again (its reason: what the crash was), and
 * {@code rocm.model.unload} when the scheduler unloads a model (its reason: idle, evicted, operator, cancelled). A
 * start or restart that ends in failure ends its span with an error. The servers start before OpenTelemetry is
 * ready, so what happens until the application has started is kept and sent then, with its own times. A bean only
 * with quarkus-opentelemetry.
 */
@Singleton
public class ModelTracer implements ServerWatcher, ModelServer.Listener, LoadListener {

    static final String LOAD = "rocm.model.load";
    static final String RESTART = "rocm.model.restart";
    static final String UNLOAD = "rocm.model.unload";

    /** One span, as it happened. */
    private record Happened(String name, String model, String reason, long startNanos, long endNanos,
            String failure) {
    }

    /** A load or restart under way. */
    private record Open(String name, String reason, long startNanos) {
    }

    @Inject
    Instance<OpenTelemetry> openTelemetry;

    private final Map<String, Open> open = new ConcurrentHashMap<>();
    /** What happened before the application started; null once it has. */
    private List<Happened> early = new ArrayList<>();
    private volatile Tracer tracer;

    @Override
    public void watch(ModelServers servers) {
        servers.all().forEach(s -> s.addListener(this));
        servers.scheduler().addListener(this);
    }

    void started(@Observes StartupEvent event) {
        List<Happened> kept;
        synchronized (this) {
            tracer = openTelemetry.get().getTracer("io.quarkiverse.rocm");
            kept = early;
            early = null;
        }
        kept.forEach(this::send);
    }

    @Override
    public void onStateChange(ModelServer server, ModelServer.State from, ModelServer.State to, String reason) {
        String model = server.spec().alias();
        switch (to) {
            case STARTING -> open.putIfAbsent(model, new Open(LOAD, reason, now()));
            case RESTARTING -> open.putIfAbsent(model, new Open(RESTART, reason, now()));
            case READY -> end(model, null);
            case FAILED -> end(model, reason);
            case STOPPED -> end(model, from == ModelServer.State.STARTING || from == ModelServer.State.RESTARTING
                    ? "stopped before it was ready: " + reason
                    : null);
            default -> {
            }
        }
    }

    @Override
    public void unloaded(String model, UnloadReason reason) {
        long at = now();
        happened(new Happened(UNLOAD, model, reason.name().toLowerCase(java.util.Locale.ROOT), at, at, null));
    }

    private void end(String model, String failure) {
        Open o = open.remove(model);
        if (o != null) {
            happened(new Happened(o.name(), model, o.reason(), o.startNanos(), now(), failure));
        }
    }

    private void happened(Happened h) {
        synchronized (this) {
            if (early != null) {
                early.add(h);
                return;
            }
        }
        send(h);
    }

    private void send(Happened h) {
        Span span = tracer.spanBuilder(h.name()).setNoParent().setStartTimestamp(h.startNanos(), TimeUnit.NANOSECONDS)
                .setAttribute(GenAi.REQUEST_MODEL, h.model()).setAttribute(GenAi.PROVIDER_NAME, GenAi.PROVIDER)
                .setAttribute(GenAi.REASON, h.reason()).startSpan();
        if (h.failure() != null) {
            span.setStatus(StatusCode.ERROR, h.failure());
        }
        span.end(h.endNanos(), TimeUnit.NANOSECONDS);
    }

    private static long now() {
        Instant i = Instant.now();
        return TimeUnit.SECONDS.toNanos(i.getEpochSecond()) + i.getNano();
    }
}
