package io.quarkiverse.rocm.it.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.jfree.data.category.DefaultCategoryDataset;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.quarkiverse.rocm.runtime.langchain4j.RocmChatModel;
import io.quarkiverse.rocm.runtime.langchain4j.RocmChatRequestParameters;
import io.quarkiverse.rocm.runtime.server.Endpoint;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * {@code RocmChatModel} streaming against LangChain4j's own {@code OpenAiStreamingChatModel} (langchain4j-open-ai on
 * its JDK HTTP client) pointed at the same llama-server, in this JVM: tokens per second at 1, 4 and 16 concurrent
 * streams of 64 tokens, and this JVM's CPU per token (read per thread from {@code /proc}). Run with {@code -Pbench};
 * it asserts nothing about speed and writes {@code target/benchmark-chat-model.md}.
 */
@QuarkusTest
@TestProfile(ChatModelBenchmarkTest.OnTcp.class)
@Tag("benchmark")
class ChatModelBenchmarkTest {

    /**
     * LangChain4j's OpenAI model reaches the same llama-server by its URL: a loopback port, not a socket. The bench
     * profile brings quarkus-opentelemetry (for TracingBenchmarkTest): off here.
     */
    public static class OnTcp implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.rocm.unix-socket", "false", "quarkus.otel.sdk.disabled", "true");
        }
    }

    static final int REQUESTS = Integer.getInteger("bench.requests", 64);
    static final int PAIRS = Integer.getInteger("bench.pairs", 3);

    @Inject
    RocmChatModel rocm;

    final Report report = new Report("target/benchmark-chat-model.md");

    record Run(double tokensPerSecond, double usPerToken, int failures, double ttftP50, double ttftP99) {
    }

    @Test
    void rocmChatModelAgainstOpenAiStreamingChatModel() throws Exception {
        Endpoint e = rocm.client().server().endpoint();
        StreamingChatModel openAi = OpenAiStreamingChatModel.builder().baseUrl(e.baseUrl() + "/v1").apiKey(e.apiKey())
                .modelName("default").temperature(0.0).maxTokens(64).customParameters(Map.of("ignore_eos", true))
                .build();
        ChatRequest rocmRequest = ChatRequest.builder().messages(UserMessage.from("Hello, who are you?"))
                .parameters(RocmChatRequestParameters.builder().temperature(0.0).maxOutputTokens(64).ignoreEos(true)
                        .build())
                .build();
        ChatRequest openAiRequest = ChatRequest.builder().messages(UserMessage.from("Hello, who are you?")).build();
        Load.Target direct = new Load.Target("llama-server", e.baseUrl() + "/v1/chat/completions", true, e.apiKey(),
                Load.Shape.CHAT);
        for (int i = 0; i < 5; i++) { // JIT of both paths
            run(rocm, rocmRequest, 500, 2);
            run(openAi, openAiRequest, 500, 2);
        }
        // this JVM's CPU per 16-token request through RocmChatModel, and its RSS
        ChatRequest shortRequest = ChatRequest.builder().messages(UserMessage.from("Hello, who are you?"))
                .parameters(RocmChatRequestParameters.builder().temperature(0.0).maxOutputTokens(16).ignoreEos(true)
                        .build())
                .build();
        long pid = ProcessHandle.current().pid();
        long cpu0 = ProcCpu.total(ProcCpu.byThread(pid));
        run(rocm, shortRequest, 1000, 2);
        double msPerRequest = (ProcCpu.total(ProcCpu.byThread(pid)) - cpu0) / 1e6 / 1000;
        report.line("Machine: " + Report.machine() + ". Both models in this JVM against the application's llama-server"
                + " (tiny model, one thread, `parallel=1`); " + REQUESTS + " streams x 64 tokens per run, " + PAIRS
                + " alternating pairs per concurrency (medians). RocmChatModel goes through the extension's gate (two"
                + " requests at llama-server, the rest queued in the JVM); OpenAiStreamingChatModel sends every request"
                + " to llama-server at once.");
        report.line("");
        report.line("| concurrency | direct tokens/s | RocmChatModel tokens/s (x direct) | OpenAiStreamingChatModel"
                + " tokens/s (x direct) | Rocm / OpenAi | TTFT p50/p99 ms direct, Rocm, OpenAi | JVM CPU us/token (Rocm /"
                + " OpenAi) | failed streams (Rocm / OpenAi) |");
        report.line("|---|---|---|---|---|---|---|---|");
        DefaultCategoryDataset chart = new DefaultCategoryDataset();
        for (int c : new int[] { 1, 4, 16 }) {
            List<Run> r = new ArrayList<>(), o = new ArrayList<>();
            List<Load.Result> d = new ArrayList<>();
            for (int p = 0; p < PAIRS; p++) {
                d.add(Load.run(direct, REQUESTS, c, 64));
                if (p % 2 == 0) {
                    r.add(run(rocm, rocmRequest, REQUESTS, c));
                    o.add(run(openAi, openAiRequest, REQUESTS, c));
                } else {
                    o.add(run(openAi, openAiRequest, REQUESTS, c));
                    r.add(run(rocm, rocmRequest, REQUESTS, c));
                }
            }
            double dt = median(d.stream().mapToDouble(Load.Result::tokensPerSecond).toArray());
            double rt = median(r.stream().mapToDouble(Run::tokensPerSecond).toArray());
            double ot = median(o.stream().mapToDouble(Run::tokensPerSecond).toArray());
            chart.addValue(rt / ot, "RocmChatModel / OpenAiStreamingChatModel", c + " concurrent");
            report.line(String.format("| %d | %.0f | %.0f (%.2fx) | %.0f (%.2fx) | %.2fx | %.2f/%.2f, %.2f/%.2f, %.2f/%.2f"
                    + " | %.1f / %.1f | %d / %d |", c, dt, rt, rt / dt, ot, ot / dt, rt / ot,
                    median(d.stream().mapToDouble(x -> x.ttft(0.5)).toArray()),
                    median(d.stream().mapToDouble(x -> x.ttft(0.99)).toArray()),
                    median(r.stream().mapToDouble(Run::ttftP50).toArray()),
                    median(r.stream().mapToDouble(Run::ttftP99).toArray()),
                    median(o.stream().mapToDouble(Run::ttftP50).toArray()),
                    median(o.stream().mapToDouble(Run::ttftP99).toArray()),
                    median(r.stream().mapToDouble(Run::usPerToken).toArray()),
                    median(o.stream().mapToDouble(Run::usPerToken).toArray()),
                    r.stream().mapToInt(Run::failures).sum(), o.stream().mapToInt(Run::failures).sum()));
        }
        report.line("");
        report.line(String.format("This JVM's CPU per 16-token streamed request through RocmChatModel: %.3f ms; its RSS"
                + " (the Quarkus test application and both models): %.0f MB.", msPerRequest, ProcCpu.rss(pid) / 1e6));
        report.write();
        Chart.bars("target/benchmark-chat-model.png", "RocmChatModel tokens/s relative to OpenAiStreamingChatModel",
                chart, Report.machine());
    }

    /** {@code requests} streams from {@code concurrency} callers; tokens/s and this JVM's CPU per token. */
    static Run run(StreamingChatModel model, ChatRequest request, int requests, int concurrency) throws Exception {
        long pid = ProcessHandle.current().pid();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        double[] ttft = new double[requests];
        AtomicInteger done = new AtomicInteger();
        try {
            long cpu0 = ProcCpu.total(ProcCpu.byThread(pid));
            long start = System.nanoTime();
            List<Future<Long>> workers = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                workers.add(pool.submit(() -> {
                    long tokens = 0;
                    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        try {
                            long[] one = stream(model, request);
                            tokens += one[0];
                            ttft[done.getAndIncrement()] = one[1] / 1e6;
                        } catch (Exception e) {
                            failures.incrementAndGet();
                        }
                    }
                    return tokens;
                }));
            }
            long tokens = 0;
            for (Future<Long> f : workers) {
                tokens += f.get();
            }
            double wallS = (System.nanoTime() - start) / 1e9;
            long cpu = ProcCpu.total(ProcCpu.byThread(pid)) - cpu0;
            double[] got = java.util.Arrays.copyOf(ttft, done.get());
            return new Run(tokens / wallS, tokens == 0 ? 0 : cpu / 1e3 / tokens, failures.get(), percentile(got, 0.5),
                    percentile(got, 0.99));
        } finally {
            pool.shutdownNow();
        }
    }

    /** One stream: the partial responses it got, and the nanoseconds to the first. */
    static long[] stream(StreamingChatModel model, ChatRequest request) throws Exception {
        CompletableFuture<long[]> done = new CompletableFuture<>();
        long start = System.nanoTime();
        long[] pieces = { 0, 0 };
        model.chat(request, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                if (pieces[0]++ == 0) {
                    pieces[1] = System.nanoTime() - start;
                }
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(pieces);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        return done.get(60, TimeUnit.SECONDS);
    }

    static double median(double[] v) {
        return ApiBenchmarkTest.median(v);
    }

    static double percentile(double[] v, double p) {
        return Load.percentile(v, p);
    }
}
