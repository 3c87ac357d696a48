package io.quarkiverse.rocm.it.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Conversations with and without hibernation, the packaged demo each time: two conversations with a long system
 * prompt on its default and second models under {@code max-loaded=1}, taking turns, so every turn loads its model
 * again ({@code kv-cache.hibernate}); four conversations on its default model's two slots, so every turn takes a slot
 * from another conversation ({@code kv-cache.per-conversation}); off and on alternating. Per turn after each
 * conversation's first: time to first token (a load included), {@code timings.prompt_n} and {@code cache_n}; the bytes
 * the saves wrote and the time saves and restores took (the application's metrics). Asserts nothing about speed; writes
 * {@code target/benchmark-hibernation.md}. Run with {@code -Pbench} after {@code ./mvnw install -DskipTests}.
 */
@Tag("benchmark")
class HibernationBenchmarkTest {

    static final int TURNS = Integer.getInteger("bench.turns", 6);
    static final int RUNS = Integer.getInteger("bench.hibernation-runs", 2);
    /** About 1,350 tokens of the tiny model: a long system prompt. */
    static final String SYSTEM = "The quick brown fox jumps over the lazy dog. ".repeat(30);
    static final Pattern METRIC = Pattern.compile("^(rocm_kv_cache_[a-z_]+)\\{model=\"(default|second)\"} (\\S+)$",
            Pattern.MULTILINE);

    /** One configuration's figures, summed over its runs. */
    static final class Figures {
        final List<Double> ttftMs = new ArrayList<>();
        long promptN;
        long cacheN;
        int turns;
        double writtenBytes;
        double saveSeconds;
        double restoreSeconds;
        double saves;
        double restores;
    }

    @Test
    void conversationsAcrossSwapsAndSlots() throws Exception {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw -B install -DskipTests first");
        }
        Report report = new Report("target/benchmark-hibernation.md");
        report.line("Conversations with a ~1,350-token system prompt each, " + TURNS + " turns, " + RUNS
                + " runs per configuration, alternating (" + Report.machine() + ").");
        // two conversations on two models under max-loaded=1: every turn loads its model again
        scenario(report, jar, "2 conversations on 2 models, max-loaded=1", List.of("default", "second"),
                on -> List.of("-Dquarkus.rocm.max-loaded=1", "-Dquarkus.rocm.start=lazy",
                        "-Dquarkus.rocm.kv-cache.hibernate=" + on, "-Dquarkus.rocm.second.kv-cache.hibernate=" + on));
        // four conversations on one model's two slots: every turn takes a slot from another conversation
        scenario(report, jar, "4 conversations on 2 slots (kv-cache.per-conversation)",
                List.of("default", "default", "default", "default"),
                on -> List.of("-Dquarkus.rocm.parallel=2", "-Dquarkus.rocm.kv-cache.hibernate=" + on,
                        "-Dquarkus.rocm.kv-cache.per-conversation=" + on));
        report.write();
    }

    private static void scenario(Report report, Path jar, String title, List<String> models,
            java.util.function.Function<Boolean, List<String>> flags) throws Exception {
        Figures off = new Figures();
        Figures on = new Figures();
        for (int run = 0; run < RUNS; run++) {
            for (boolean hibernate : new boolean[] { false, true }) {
                measure(jar, flags.apply(hibernate), models, hibernate ? on : off);
            }
        }
        report.line("");
        report.line("**" + title + "**");
        report.line("");
        report.line("| hibernation | TTFT of a turn after the first, median (ms) | prompt tokens evaluated per turn"
                + " | prompt tokens from the cache per turn | written per save | save / restore per slot (ms) |");
        report.line("|---|---|---|---|---|---|");
        for (Figures f : List.of(off, on)) {
            report.line(String.format("| %s | %.1f | %.0f | %.0f | %s | %s |", f == on ? "on" : "off",
                    ApiBenchmarkTest.median(f.ttftMs.stream().mapToDouble(Double::doubleValue).toArray()),
                    (double) f.promptN / f.turns, (double) f.cacheN / f.turns,
                    f.saves == 0 ? "-" : String.format("%.0f KiB", f.writtenBytes / f.saves / 1024),
                    f.saves == 0 ? "-"
                            : String.format("%.1f / %.1f", f.saveSeconds * 1000 / f.saves,
                                    f.restores == 0 ? 0 : f.restoreSeconds * 1000 / f.restores)));
        }
    }

    /** One application, the conversations taking turns; turns after each one's first add to {@code f}. */
    static void measure(Path jar, List<String> flags, List<String> models, Figures f) throws Exception {
        Path dir = Files.createTempDirectory("kv-bench");
        int port = ApiBenchmarkTest.freePort();
        File log = Files.createTempFile("bench-hibernation", ".log").toFile();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Dquarkus.http.port=" + port, "-Dquarkus.rocm.hibernation.dir=" + dir,
                "-Dquarkus.otel.sdk.disabled=true"));
        command.addAll(flags);
        command.addAll(List.of("-jar", jar.toString()));
        Process app = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        try {
            ApiBenchmarkTest.waitFor200("http://127.0.0.1:" + port + "/q/health/ready", app, log);
            List<JsonArray> conversations = new ArrayList<>();
            for (int i = 0; i < models.size(); i++) {
                conversations.add(new JsonArray().add(new JsonObject().put("role", "system")
                        .put("content", "Conversation " + i + ". " + SYSTEM)));
            }
            for (int turn = 0; turn < TURNS; turn++) {
                for (int i = 0; i < models.size(); i++) {
                    JsonArray messages = conversations.get(i);
                    messages.add(new JsonObject().put("role", "user").put("content", "Turn " + turn + ": go on."));
                    Turn t = turn(port, models.get(i), messages);
                    messages.add(new JsonObject().put("role", "assistant").put("content", t.text()));
                    if (turn > 0) {
                        f.ttftMs.add(t.ttftMs());
                        f.promptN += t.promptN();
                        f.cacheN += t.cacheN();
                        f.turns++;
                    }
                }
            }
            String metrics = Load.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = METRIC.matcher(metrics);
            while (m.find()) {
                double v = Double.parseDouble(m.group(3));
                switch (m.group(1)) {
                    case "rocm_kv_cache_written_bytes_total" -> f.writtenBytes += v;
                    case "rocm_kv_cache_saves_seconds_sum" -> f.saveSeconds += v;
                    case "rocm_kv_cache_saves_seconds_count" -> f.saves += v;
                    case "rocm_kv_cache_restores_seconds_sum" -> f.restoreSeconds += v;
                    case "rocm_kv_cache_restores_seconds_count" -> f.restores += v;
                    default -> {
                    }
                }
            }
        } finally {
            app.destroy();
            app.waitFor();
            Files.deleteIfExists(log.toPath());
        }
    }

    record Turn(String text, double ttftMs, int promptN, int cacheN) {
    }

    /** One streamed turn: its text, the time to its first token, and llama-server's timings of its prompt. */
    static Turn turn(int port, String model, JsonArray messages) throws Exception {
        String body = new JsonObject().put("model", model).put("messages", messages).put("max_tokens", 16)
                .put("temperature", 0).put("stream", true).put("stream_options", new JsonObject()
                        .put("include_usage", true))
                .encode();
        long start = System.nanoTime();
        HttpResponse<InputStream> r = Load.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/v1/chat/completions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(model + " answered " + r.statusCode() + ": "
                    + new String(r.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        StringBuilder text = new StringBuilder();
        double ttft = -1;
        JsonObject timings = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.startsWith("data: {")) {
                    continue;
                }
                JsonObject chunk = new JsonObject(line.substring(6));
                JsonArray choices = chunk.getJsonArray("choices");
                String piece = choices == null || choices.isEmpty() ? null
                        : choices.getJsonObject(0).getJsonObject("delta", new JsonObject()).getString("content");
                if (piece != null && !piece.isEmpty()) {
                    if (ttft < 0) {
                        ttft = (System.nanoTime() - start) / 1e6;
                    }
                    text.append(piece);
                }
                if (chunk.containsKey("timings")) {
                    timings = chunk.getJsonObject("timings");
                }
            }
        }
        if (timings == null) {
            throw new IllegalStateException(model + ": no timings in the stream");
        }
        return new Turn(text.toString(), ttft, timings.getInteger("prompt_n"), timings.getInteger("cache_n"));
    }
}
