package io.quarkiverse.rocm.it;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.quarkiverse.rocm.runtime.langchain4j.RocmChatModel;
import io.quarkiverse.rocm.runtime.langchain4j.RocmChatRequestParameters;
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Measures what the extension adds on top of llama-server: the same requests, in one run, sent to llama-server
 * directly and through the OpenAI API (and the chat model). Run with {@code -Pbench}; it asserts nothing about speed
 * (a benchmark, not a test) and writes {@code target/benchmark.md}.
 */
@QuarkusTest
@Tag("benchmark")
class OverheadBenchmarkTest {

    static {
        // llama-server closes the connection after a streamed answer although it announces keep-alive: the direct
        // client must say "Connection: close" for streams (as the extension's own client does), or it reuses a
        // connection that is closing
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "connection");
    }

    static final int RUNS = Integer.getInteger("bench.runs", 200);
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static final String CHAT = "{\"messages\":[{\"role\":\"user\",\"content\":\"Hello, who are you?\"}],"
            + "\"temperature\":0";

    @TestHTTPResource("/v1")
    URL v1;

    @Inject
    RocmChatModel model;

    /** Where a request goes: llama-server itself (with its key) or the application's API. */
    record Target(String name, String url, String key) {
    }

    record Sample(double totalMs, double ttftMs, int tokens) {
    }

    Target direct() {
        ModelServer.Endpoint e = model.client().server().endpoint();
        return new Target("llama-server directly", e.baseUrl() + "/v1/chat/completions", e.apiKey());
    }

    Target api() {
        return new Target("through the OpenAI API", v1 + "/chat/completions", null);
    }

    static Sample call(Target t, String body, boolean stream) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(t.url())).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(120));
        if (t.key() != null) {
            b.header("Authorization", "Bearer " + t.key());
            if (stream) {
                b.header("Connection", "close");
            }
        }
        long start = System.nanoTime();
        if (!stream) {
            HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            long end = System.nanoTime();
            JsonNode json = MAPPER.readTree(r.body());
            return new Sample((end - start) / 1e6, Double.NaN, json.path("usage").path("completion_tokens").asInt());
        }
        HttpResponse<InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        long first = 0;
        int tokens = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("data: ") && line.contains("\"content\":\"")) {
                    if (first == 0) {
                        first = System.nanoTime();
                    }
                    tokens++;
                }
            }
        }
        long end = System.nanoTime();
        return new Sample((end - start) / 1e6, (first - start) / 1e6, tokens);
    }

    static double percentile(double[] v, double p) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.round(p * (s.length - 1)))];
    }

    interface Run {
        Sample run() throws Exception;
    }

    static double[][] measure(int runs, Run r) throws Exception {
        for (int i = 0; i < Math.max(20, runs / 5); i++) {
            r.run(); // warm-up: JIT, connections, llama-server's cache
        }
        double[] total = new double[runs], ttft = new double[runs];
        for (int i = 0; i < runs; i++) {
            Sample s = r.run();
            total[i] = s.totalMs();
            ttft[i] = s.ttftMs();
        }
        return new double[][] { total, ttft };
    }

    final StringBuilder report = new StringBuilder();

    void row(String scenario, String path, double[][] m, double[][] baseline, String unit) {
        double med = percentile(m[0], 0.5), p90 = percentile(m[0], 0.9);
        double base = percentile(baseline[0], 0.5);
        String ttft = Double.isNaN(m[1][0]) ? "" : String.format("%.2f", percentile(m[1], 0.5));
        String line = String.format("| %s | %s | %.2f | %.2f | %s | %.2fx |%n", scenario, path, med, p90, ttft,
                med / base);
        report.append(line);
        System.out.print(line);
    }

    @Test
    void overheadAgainstLlamaServerDirectly() throws Exception {
        report.append("| scenario | path | median ms | p90 ms | median TTFT ms | ratio to direct |\n")
                .append("|---|---|---|---|---|---|\n");
        Target direct = direct(), api = api();

        String whole = CHAT + "}";
        double[][] d1 = measure(RUNS, () -> call(direct, whole, false));
        double[][] a1 = measure(RUNS, () -> call(api, whole, false));
        double[][] m1 = measure(RUNS, () -> {
            long s = System.nanoTime();
            ChatResponse r = model.chat(ChatRequest.builder().messages(UserMessage.from("Hello, who are you?"))
                    .parameters(RocmChatRequestParameters.builder().temperature(0.0).build()).build());
            if (r.tokenUsage() == null) {
                throw new AssertionError("no usage in " + r);
            }
            return new Sample((System.nanoTime() - s) / 1e6, Double.NaN, r.tokenUsage().outputTokenCount());
        });
        row("whole answer, 15 tokens", "llama-server directly", d1, d1, "");
        row("whole answer, 15 tokens", "OpenAI API (relay)", a1, d1, "");
        row("whole answer, 15 tokens", "RocmChatModel.chat", m1, d1, "");

        String streamed = CHAT + ",\"stream\":true}";
        double[][] d2 = measure(RUNS, () -> call(direct, streamed, true));
        double[][] a2 = measure(RUNS, () -> call(api, streamed, true));
        double[][] m2 = measure(RUNS, this::streamChatModel);
        row("streamed answer, 15 tokens", "llama-server directly", d2, d2, "");
        row("streamed answer, 15 tokens", "OpenAI API (relay)", a2, d2, "");
        row("streamed answer, 15 tokens", "RocmChatModel streaming", m2, d2, "");

        String longStream = CHAT + ",\"stream\":true,\"ignore_eos\":true,\"max_tokens\":1000}";
        int longRuns = Math.max(10, RUNS / 20);
        double[][] d3 = measure(longRuns, () -> call(direct, longStream, true));
        double[][] a3 = measure(longRuns, () -> call(api, longStream, true));
        row("streamed answer, 1000 tokens", "llama-server directly", d3, d3, "");
        row("streamed answer, 1000 tokens", "OpenAI API (relay)", a3, d3, "");

        int clients = 8;
        double[][] d4 = measure(longRuns, () -> concurrently(clients, direct, CHAT
                + ",\"stream\":true,\"ignore_eos\":true,\"max_tokens\":100}"));
        double[][] a4 = measure(longRuns, () -> concurrently(clients, api, CHAT
                + ",\"stream\":true,\"ignore_eos\":true,\"max_tokens\":100}"));
        row(clients + " concurrent streams x 100 tokens", "llama-server directly", d4, d4, "");
        row(clients + " concurrent streams x 100 tokens", "OpenAI API (relay)", a4, d4, "");

        report.append("\nRe-encoding instead of relaying (CPU per streamed chunk, this JVM): ")
                .append(reencodeCost()).append('\n');
        Path out = Path.of("target", "benchmark.md");
        Files.writeString(out, report);
        System.out.println(report);
    }

    Sample concurrently(int n, Target t, String body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            long s = System.nanoTime();
            List<Future<Sample>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                all.add(pool.submit(() -> call(t, body, true)));
            }
            int tokens = 0;
            for (Future<Sample> f : all) {
                tokens += f.get().tokens();
            }
            return new Sample((System.nanoTime() - s) / 1e6, Double.NaN, tokens);
        } finally {
            pool.shutdownNow();
        }
    }

    Sample streamChatModel() throws Exception {
        CompletableFuture<Sample> done = new CompletableFuture<>();
        long start = System.nanoTime();
        long[] first = { 0 };
        int[] tokens = { 0 };
        model.chat(ChatRequest.builder().messages(UserMessage.from("Hello, who are you?"))
                .parameters(RocmChatRequestParameters.builder().temperature(0.0).build()).build(),
                new StreamingChatResponseHandler() {
                    @Override
                    public void onPartialResponse(PartialResponse p, PartialResponseContext c) {
                        if (first[0] == 0) {
                            first[0] = System.nanoTime();
                        }
                        tokens[0]++;
                    }

                    @Override
                    public void onCompleteResponse(ChatResponse r) {
                        long end = System.nanoTime();
                        done.complete(new Sample((end - start) / 1e6, (first[0] - start) / 1e6, tokens[0]));
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }
                });
        return done.get(60, TimeUnit.SECONDS);
    }

    /** Parsing and writing back one typical chunk with Jackson, against the relay's framing copy. */
    static String reencodeCost() throws Exception {
        byte[] chunk = ("{\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"content\":\" tiny\"}}],"
                + "\"created\":1795358293,\"id\":\"chatcmpl-ZiU4abcdefghijklmnopqrstuvwxyz12\",\"model\":\"tiny\","
                + "\"system_fingerprint\":\"b11669-Debian\",\"object\":\"chat.completion.chunk\"}")
                .getBytes(StandardCharsets.UTF_8);
        int n = 200_000;
        long sink = 0;
        for (int round = 0; round < 2; round++) { // the first round warms up
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += MAPPER.writeValueAsBytes(MAPPER.readTree(chunk)).length;
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                io.vertx.core.buffer.Buffer b = io.vertx.core.buffer.Buffer.buffer(chunk.length + 8)
                        .appendString("data: ").appendBytes(chunk).appendString("\n\n");
                sink += b.length();
            }
            long t2 = System.nanoTime();
            if (round == 1) {
                return String.format("Jackson parse + write %.2f us/chunk, relay framing %.3f us/chunk (checksum %d)",
                        (t1 - t0) / 1e3 / n, (t2 - t1) / 1e3 / n, sink % 10);
            }
        }
        throw new IllegalStateException();
    }
}
