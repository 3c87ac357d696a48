package io.quarkiverse.rocm.it.bench;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load of the benchmark: streamed answers over plain HTTP/1.1 from {@code concurrency} clients, as an OpenAI (or
 * Anthropic, or Ollama) client asks for them, against llama-server itself or the application's API.
 */
final class Load {

    static {
        // llama-server closes the connection after a streamed answer although it announces keep-alive: requests to it
        // directly say "Connection: close", or the client would reuse a connection that is closing
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "connection");
    }

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * What a stream is asked and read as: OpenAI's chat completions, for a given number of tokens ({@code ignore_eos});
     * or, for every API, the model's own answer (at most 64 tokens): Responses, Messages, Ollama's chat, and chat
     * completions as Ollama's translation sends them. The lines that carry a piece of the answer and the one that ends it.
     */
    enum Shape {
        CHAT("\"content\":\"", "data: [DONE]"),
        CHAT_ANSWER("\"content\":\"", "data: [DONE]"),
        RESPONSES("\"type\":\"response.output_text.delta\"", "event: response.completed"),
        MESSAGES("\"type\":\"text_delta\"", "event: message_stop"),
        OLLAMA("\"done\":false", "\"done\":true");

        private final String piece;
        private final String end;

        Shape(String piece, String end) {
            this.piece = piece;
            this.end = end;
        }

        String body(int maxTokens) {
            String messages = "\"messages\":[{\"role\":\"user\",\"content\":\"Hello, who are you?\"}]";
            return switch (this) {
                case CHAT -> "{\"model\":\"default\"," + messages + ",\"temperature\":0,\"stream\":true,"
                        + "\"ignore_eos\":true,\"max_tokens\":" + maxTokens + "}";
                case CHAT_ANSWER -> "{\"model\":\"default\"," + messages + ",\"temperature\":0,\"stream\":true,"
                        + "\"max_tokens\":64}";
                case RESPONSES -> "{\"model\":\"default\",\"input\":\"Hello, who are you?\",\"temperature\":0,"
                        + "\"stream\":true,\"max_output_tokens\":64}";
                // the demo's default model has adapters, for which the application refuses Messages: its second model
                case MESSAGES -> "{\"model\":\"second\"," + messages + ",\"temperature\":0,\"stream\":true,"
                        + "\"max_tokens\":64}";
                case OLLAMA -> "{\"model\":\"default\"," + messages + ",\"stream\":true,"
                        + "\"options\":{\"temperature\":0,\"num_predict\":64}}";
            };
        }

        boolean piece(String line) {
            return (this == OLLAMA || line.startsWith("data: ")) && line.contains(piece);
        }

        boolean end(String line) {
            return this == OLLAMA || this == CHAT || this == CHAT_ANSWER ? line.contains(end) : line.equals(end);
        }
    }

    /**
     * Where requests go, and in which {@code shape}; {@code direct} ones close their connection after a stream;
     * {@code key} if it needs one.
     */
    record Target(String name, String url, boolean direct, String key, Shape shape) {
        Target(String name, String url, boolean direct) {
            this(name, url, direct, null, Shape.CHAT);
        }

        Target(String name, String url, boolean direct, Shape shape) {
            this(name, url, direct, null, shape);
        }
    }

    /** One run: every request's time to first token (ms), the content tokens received, the wall time (ms). */
    record Result(double[] ttftMs, long tokens, double wallMs, int requests) {
        double tokensPerSecond() {
            return tokens * 1000.0 / wallMs;
        }

        double ttft(double p) {
            return percentile(ttftMs, p);
        }
    }

    /** The value below which a share {@code p} of {@code v} lies (nearest rank); NaN for no values. */
    static double percentile(double[] v, double p) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.round(p * (s.length - 1)))];
    }

    static Result run(Target target, int requests, int concurrency, int maxTokens) throws Exception {
        String body = target.shape().body(maxTokens);
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        AtomicInteger next = new AtomicInteger();
        double[] ttft = new double[requests];
        try {
            long start = System.nanoTime();
            List<Future<Long>> workers = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                workers.add(pool.submit(() -> {
                    long tokens = 0;
                    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        long[] one = stream(target, body);
                        ttft[i] = one[0] / 1e6;
                        tokens += one[1];
                    }
                    return tokens;
                }));
            }
            long tokens = 0;
            for (Future<Long> f : workers) {
                tokens += f.get();
            }
            return new Result(ttft, tokens, (System.nanoTime() - start) / 1e6, requests);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One streamed request: nanoseconds to the first content token, and the content tokens. */
    static long[] stream(Target t, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(t.url())).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(120));
        if (t.direct()) {
            b.header("Connection", "close");
        }
        if (t.key() != null) {
            b.header("Authorization", "Bearer " + t.key());
        }
        long start = System.nanoTime();
        HttpResponse<InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(t.name() + " answered " + r.statusCode() + ": " + new String(
                    r.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        long first = 0;
        long tokens = 0;
        boolean done = false;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (t.shape().piece(line)) {
                    if (first == 0) {
                        first = System.nanoTime();
                    }
                    tokens++;
                } else if (t.shape().end(line)) {
                    done = true;
                }
            }
        }
        if (!done) {
            throw new IllegalStateException(t.name() + ": the stream ended without its last event");
        }
        return new long[] { first - start, tokens };
    }
}
