package io.quarkiverse.rocm.it.bench;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/**
 * What tracing costs: the packaged demo application twice, side by side, one with OpenTelemetry off
 * ({@code quarkus.otel.sdk.disabled=true}) and one exporting every span (OTLP over HTTP) to a local sink that accepts
 * them as a collector does (200 and an empty {@code ExportTraceServiceResponse}: OTLP/HTTP, opentelemetry-proto's
 * {@code collector/trace/v1}); CPU per 16-token streamed request and per token, measured in alternating runs, medians.
 * Needs the jar built with quarkus-opentelemetry: {@code ./mvnw -pl integration-tests package -Pbench -DskipTests},
 * then {@code ./mvnw -pl integration-tests test -Pbench -Dtest=TracingBenchmarkTest}. Writes
 * {@code target/benchmark-tracing.md}; asserts nothing about speed.
 */
@Tag("benchmark")
class TracingBenchmarkTest {

    static final int RUNS = Integer.getInteger("bench.tracing-runs", 5);

    @Test
    void tracingOnAndOff() throws Exception {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        boolean withOtel;
        try (var libs = Files.list(Path.of("target", "quarkus-app", "lib", "main"))) {
            withOtel = libs.anyMatch(p -> p.getFileName().toString().startsWith("io.quarkus.quarkus-opentelemetry-"));
        }
        Assumptions.assumeTrue(withOtel, "the packaged application has no quarkus-opentelemetry: build it with"
                + " ./mvnw -pl integration-tests package -Pbench -DskipTests");
        AtomicLong exports = new AtomicLong();
        AtomicLong exportedBytes = new AtomicLong();
        HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sink.createContext("/v1/traces", exchange -> {
            exportedBytes.addAndGet(exchange.getRequestBody().readAllBytes().length);
            exports.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        sink.start();
        List<Process> apps = new ArrayList<>();
        Report report = new Report("target/benchmark-tracing.md");
        try {
            int offPort = ApiBenchmarkTest.freePort(), onPort = ApiBenchmarkTest.freePort();
            Process off = start(jar, offPort, List.of("-Dquarkus.otel.sdk.disabled=true"));
            apps.add(off);
            Process on = start(jar, onPort, List.of("-Dquarkus.otel.exporter.otlp.protocol=http/protobuf",
                    "-Dquarkus.otel.exporter.otlp.endpoint=http://127.0.0.1:" + sink.getAddress().getPort()));
            apps.add(on);
            ApiBenchmarkTest.waitFor200("http://127.0.0.1:" + offPort + "/q/health/ready", off, null);
            ApiBenchmarkTest.waitFor200("http://127.0.0.1:" + onPort + "/q/health/ready", on, null);
            Load.Target offApi = new Load.Target("tracing off", "http://127.0.0.1:" + offPort + "/v1/chat/completions",
                    false);
            Load.Target onApi = new Load.Target("tracing on", "http://127.0.0.1:" + onPort + "/v1/chat/completions",
                    false);
            ApiBenchmarkTest.warmUp(offApi, off.pid());
            ApiBenchmarkTest.warmUp(onApi, on.pid());
            int shortRequests = Integer.getInteger("bench.cpu-requests", 1000);
            int longRequests = Math.max(5, shortRequests / 30);
            List<RelayCpu> offRuns = new ArrayList<>(), onRuns = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                offRuns.add(RelayCpu.measure(offApi, () -> ProcCpu.byThread(off.pid()), off.pid(), shortRequests,
                        longRequests));
                onRuns.add(RelayCpu.measure(onApi, () -> ProcCpu.byThread(on.pid()), on.pid(), shortRequests,
                        longRequests));
            }
            RelayCpu offCpu = RelayCpu.median(offRuns), onCpu = RelayCpu.median(onRuns);
            report.line("# Tracing on and off");
            report.line("");
            report.line(
                    "| CPU (medians of " + RUNS + " alternating runs) | tracing off | tracing on (OTLP export) | on - off |");
            report.line("|---|---|---|---|");
            report.line(String.format("| per 16-token streamed request | %.3f ms | %.3f ms | %+.3f ms |",
                    offCpu.msPerRequest(), onCpu.msPerRequest(), onCpu.msPerRequest() - offCpu.msPerRequest()));
            report.line(String.format("| per token of a 1000-token stream | %.1f us | %.1f us | %+.1f us |",
                    offCpu.usPerToken(), onCpu.usPerToken(), onCpu.usPerToken() - offCpu.usPerToken()));
            report.line("");
            StringBuilder each = new StringBuilder("Each run (ms per request / us per token): off");
            offRuns.forEach(r -> each.append(String.format(" %.3f / %.1f,", r.msPerRequest(), r.usPerToken())));
            each.append(" on");
            onRuns.forEach(r -> each.append(String.format(" %.3f / %.1f,", r.msPerRequest(), r.usPerToken())));
            report.line(each.substring(0, each.length() - 1) + ".");
            report.line(String.format("The sink received %d exports, %.1f MB in all.", exports.get(),
                    exportedBytes.get() / 1e6));
            report.write();
            if (exports.get() == 0) {
                throw new AssertionError("tracing on exported no span: the comparison would measure nothing");
            }
        } finally {
            for (Process p : apps) {
                p.destroy();
                p.waitFor();
            }
            sink.stop(0);
        }
    }

    private static Process start(Path jar, int port, List<String> flags) throws Exception {
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + port));
        java.addAll(flags);
        java.addAll(List.of("-jar", jar.toString()));
        File log = Files.createTempFile("bench-tracing", ".log").toFile();
        log.deleteOnExit();
        return new ProcessBuilder(java).redirectErrorStream(true).redirectOutput(log).start();
    }
}
