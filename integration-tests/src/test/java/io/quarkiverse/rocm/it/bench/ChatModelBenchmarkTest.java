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
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkus.test.junit.QuarkusTest;

/**
 * {@code RocmChatModel} streaming against LangChain4j's own {@code OpenAiStreamingChatModel} (langchain4j-open-ai on
 * its JDK HTTP client) pointed at the same llama-server, in this JVM: tokens per second at 1, 4 and 16 concurrent
 * streams of 64 tokens, and this JVM's CPU per token (read per thread from {@code /proc}). Run with {@code -Pbench};
 * it asserts nothing about speed and writes {@code target/benchmark-chat-model.md}.
 */
@QuarkusTest
@Tag("benchmark")
class ChatModelBenchmarkTest {

    static final int REQUESTS = Integer.getInteger("bench.requests", 64);
    static final int PAIRS = Integer.getInteger("bench.pairs", 3);

    @Inject
    RocmChatModel rocm;

    final Report report = new Report("target/benchmark-chat-model.md");

    record Run(double tokensPerSecond, double usPerToken, int failures) {
    }

    @Test
    void rocmChatModelAgainstOpenAiStreamingChatModel() throws Exception {
        ModelServer.Endpoint e = rocm.client().server().endpoint();
        StreamingChatModel openAi = OpenAiStreamingChatModel.builder().baseUrl(e.baseUrl() + "/v1").apiKey(e.apiKey())
                .modelName("default").temperature(0.0).maxTokens(64).customParameters(Map.of("ignore_eos", true))
                .build();
        ChatRequest rocmRequest = ChatRequest.builder().messages(UserMessage.from("Hello, who are you?"))
                .parameters(RocmChatRequestParameters.builder().temperature(0.0).maxOutputTokens(64).ignoreEos(true)
                        .build())
                .build();
        ChatRequest openAiRequest = ChatRequest.builder().messages(UserMessage.from("Hello, who are you?")).build();
        for (int i = 0; i < 5; i++) { // JIT of both paths
            run(rocm, rocmRequest, 500, 2);
            run(openAi, openAiRequest, 500, 2);
        }
        report.line("Machine: " + Report.machine() + ". Both models in this JVM against the application's llama-server"
                + " (tiny model, one thread, `parallel=1`); " + REQUESTS + " streams x 64 tokens per run, " + PAIRS
                + " alternating pairs per concurrency (medians). RocmChatModel goes through the extension's gate (two"
                + " requests at llama-server, the rest queued in the JVM); OpenAiStreamingChatModel sends every request"
                + " to llama-server at once.");
        report.line("");
        report.line("| concurrency | RocmChatModel tokens/s | OpenAiStreamingChatModel tokens/s | ratio | RocmChatModel"
                + " JVM CPU us/token | OpenAiStreamingChatModel JVM CPU us/token | failed streams (Rocm / OpenAi) |");
        report.line("|---|---|---|---|---|---|---|");
        DefaultCategoryDataset chart = new DefaultCategoryDataset();
        for (int c : new int[] { 1, 4, 16 }) {
            List<Run> r = new ArrayList<>(), o = new ArrayList<>();
            for (int p = 0; p < PAIRS; p++) {
                if (p % 2 == 0) {
                    r.add(run(rocm, rocmRequest, REQUESTS, c));
                    o.add(run(openAi, openAiRequest, REQUESTS, c));
                } else {
                    o.add(run(openAi, openAiRequest, REQUESTS, c));
                    r.add(run(rocm, rocmRequest, REQUESTS, c));
                }
            }
            double rt = median(r.stream().mapToDouble(Run::tokensPerSecond).toArray());
            double ot = median(o.stream().mapToDouble(Run::tokensPerSecond).toArray());
            chart.addValue(rt / ot, "RocmChatModel / OpenAiStreamingChatModel", c + " concurrent");
            report.line(String.format("| %d | %.0f | %.0f | %.2fx | %.1f | %.1f | %d / %d |", c, rt, ot, rt / ot,
                    median(r.stream().mapToDouble(Run::usPerToken).toArray()),
                    median(o.stream().mapToDouble(Run::usPerToken).toArray()),
                    r.stream().mapToInt(Run::failures).sum(), o.stream().mapToInt(Run::failures).sum()));
        }
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
        try {
            long cpu0 = ProcCpu.total(ProcCpu.byThread(pid));
            long start = System.nanoTime();
            List<Future<Long>> workers = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                workers.add(pool.submit(() -> {
                    long tokens = 0;
                    while (next.getAndIncrement() < requests) {
                        try {
                            tokens += stream(model, request);
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
            return new Run(tokens / wallS, tokens == 0 ? 0 : cpu / 1e3 / tokens, failures.get());
        } finally {
            pool.shutdownNow();
        }
    }

    /** One stream; the partial responses it got. */
    static long stream(StreamingChatModel model, ChatRequest request) throws Exception {
        CompletableFuture<Long> done = new CompletableFuture<>();
        long[] pieces = { 0 };
        model.chat(request, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                pieces[0]++;
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(pieces[0]);
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
}
