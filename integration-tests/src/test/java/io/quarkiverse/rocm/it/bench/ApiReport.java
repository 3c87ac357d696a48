package io.quarkiverse.rocm.it.bench;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The report of {@link ApiBenchmarkTest}: tokens/s and time to first token of llama-server directly, nginx in front
 * of it and the application's API, medians of the runs; and the CPU per request and per token of nginx and of the
 * application side by side, with their ratio.
 */
final class ApiReport {

    private final Report report;
    private final int requests;
    private final int runs;
    private final DefaultCategoryDataset chart = new DefaultCategoryDataset();

    ApiReport(Report report, int requests, int runs) {
        this.report = report;
        this.requests = requests;
        this.runs = runs;
    }

    /** The throughput table; {@code nginx} false: it was left out, {@code why}. */
    void throughput(Map<Integer, Map<String, List<Load.Result>>> byConcurrency, boolean nginx, String why) {
        report.line("Machine: " + Report.machine() + ". Tiny model on one llama-server thread, `parallel=1` (the"
                + " demo's), client, relays and llama-servers sharing the cores. " + requests + " streamed requests"
                + " x 64 tokens per run, " + runs + " runs of each target per concurrency, in turn (medians).");
        if (!nginx) {
            report.line("nginx left out: " + why + ".");
        }
        report.line("");
        report.line("| concurrency | llama-server tokens/s | nginx tokens/s (x direct) | API tokens/s (x direct)"
                + " | TTFT p50 direct / nginx / API ms | TTFT p99 direct / nginx / API ms |");
        report.line("|---|---|---|---|---|---|");
        for (Map.Entry<Integer, Map<String, List<Load.Result>>> e : byConcurrency.entrySet()) {
            List<Load.Result> d = e.getValue().get("llama-server");
            List<Load.Result> n = e.getValue().get("nginx");
            List<Load.Result> a = e.getValue().get("OpenAI API");
            double direct = median(d, Load.Result::tokensPerSecond);
            double api = median(a, Load.Result::tokensPerSecond);
            double proxy = n == null ? Double.NaN : median(n, Load.Result::tokensPerSecond);
            chart.addValue(api / direct, "this application's API", e.getKey() + " concurrent");
            if (n != null) {
                chart.addValue(proxy / direct, "nginx", e.getKey() + " concurrent");
            }
            report.line(String.format("| %d | %.0f | %s | %.0f (%.2fx) | %.2f / %s / %.2f | %.2f / %s / %.2f |",
                    e.getKey(), direct, n == null ? "-" : String.format("%.0f (%.2fx)", proxy, proxy / direct), api,
                    api / direct, median(d, r -> r.ttft(0.5)), n == null ? "-" : fmt(median(n, r -> r.ttft(0.5))),
                    median(a, r -> r.ttft(0.5)), median(d, r -> r.ttft(0.99)),
                    n == null ? "-" : fmt(median(n, r -> r.ttft(0.99))), median(a, r -> r.ttft(0.99))));
        }
    }

    /** The CPU table: nginx and the application, per request and per token. */
    void cpu(RelayCpu app, RelayCpu nginx, int warmedUp, double clientUsPerToken) {
        report.line("");
        report.line("| CPU (all threads, from /proc; medians of alternating runs) | nginx | this application"
                + " | application / nginx |");
        report.line("|---|---|---|---|");
        report.line(String.format("| per 16-token streamed request | %s | %.3f ms | %s |",
                nginx == null ? "-" : String.format("%.3f ms", nginx.msPerRequest()), app.msPerRequest(),
                nginx == null ? "-" : String.format("%.2fx", app.msPerRequest() / nginx.msPerRequest())));
        report.line(String.format("| per token of a 1000-token stream | %s | %.1f us | %s |",
                nginx == null ? "-" : String.format("%.1f us", nginx.usPerToken()), app.usPerToken(),
                nginx == null ? "-" : String.format("%.2fx", app.usPerToken() / nginx.usPerToken())));
        report.line("");
        report.line(String.format("The application after %d warm-up requests, once the JIT compilers had settled."
                + " For scale: the benchmark's own client (java.net.http, another JVM) spends %.1f us of CPU per"
                + " token just reading a 1000-token stream from llama-server.", warmedUp, clientUsPerToken));
        report.line("Application, per thread, per 16-token request: " + perThread(app.perThread(), app.requests())
                + String.format(" (user %.3f ms, kernel %.3f ms).", app.userMs() / (double) app.requests(),
                        app.kernelMs() / (double) app.requests()));
    }

    /** Every run's figures, for the spread behind the medians. */
    void runs(List<RelayCpu> app, List<RelayCpu> nginx) {
        report.line("Each run, ms per request / us per token: application " + each(app) + (nginx.isEmpty() ? ""
                : "; nginx " + each(nginx)) + ".");
    }

    private static String each(List<RelayCpu> runs) {
        return String.join(", ", runs.stream()
                .map(r -> String.format("%.3f / %.1f", r.msPerRequest(), r.usPerToken())).toList());
    }

    void chart(String file) throws IOException {
        Chart.bars(file, "Tokens/s relative to llama-server directly: nginx and this application's API", chart,
                Report.machine());
    }

    static String perThread(Map<String, Long> delta, int requests) {
        StringBuilder s = new StringBuilder();
        delta.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(6)
                .forEach(e -> s.append(String.format("%s %.3f ms, ", e.getKey(), e.getValue() / 1e6 / requests)));
        return s.length() > 2 ? s.substring(0, s.length() - 2) : "(none)";
    }

    private static String fmt(double v) {
        return String.format("%.2f", v);
    }

    private static double median(List<Load.Result> results, java.util.function.ToDoubleFunction<Load.Result> f) {
        return ApiBenchmarkTest.median(results.stream().mapToDouble(f).toArray());
    }
}
