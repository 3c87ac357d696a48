package io.quarkiverse.rocm.deployment.pool;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.rocm.deployment.OpenAiStream;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Prefix affinity (with the default slack, and with none) against round-robin, through this extension's OpenAI API, on the same
 * two remote replicas (real
 * llama-servers in network namespaces, two slots each): multi-turn conversations that share a long system prompt,
 * two at a time. Each phase has a system prompt of its own, so no phase finds another's prompts in a cache, and the
 * strategies alternate phase by phase on the same machine and the same servers. Reported: time to first token as
 * the client saw it, llama-server's prompt tokens taken from its cache ({@code timings.cache_n}) and evaluated
 * ({@code prompt_n}), and its generation speed. Off unless {@code -Drocm.bench=true}; writes
 * {@code target/prefix-affinity-benchmark.md}.
 */
@EnabledIfSystemProperty(named = "rocm.bench", matches = "true", disabledReason = "a benchmark: -Drocm.bench=true")
@ExtendWith(SlotsBeforeHosts.class)
@ExtendWith(ReplicaHosts.class)
public class PrefixAffinityBenchmarkTest {

    static final int PHASES = 4; // per strategy, alternating
    static final int CONVERSATIONS = 6;
    static final int TURNS = 5;
    static final int CONCURRENCY = 2;
    static final String SYSTEM = ("You are the assistant of a company that sells bicycles, parts and repairs. Answer "
            + "politely, never invent prices, ask for the frame size when it matters, and keep every answer short. ")
            .repeat(12);

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(ReplicaHosts.class, SlotsBeforeHosts.class, OpenAiStream.class))
            .overrideConfigKey("quarkus.rocm.affinity.urls", "${quarkus.rocm.urls}")
            .overrideConfigKey("quarkus.rocm.affinity.api-key", ReplicaHosts.KEY)
            .overrideConfigKey("quarkus.rocm.affinity.parallel", "2")
            .overrideConfigKey("quarkus.rocm.affinity.balance", "prefix-affinity")
            .overrideConfigKey("quarkus.rocm.tight.urls", "${quarkus.rocm.urls}")
            .overrideConfigKey("quarkus.rocm.tight.api-key", ReplicaHosts.KEY)
            .overrideConfigKey("quarkus.rocm.tight.parallel", "2")
            .overrideConfigKey("quarkus.rocm.tight.balance", "prefix-affinity")
            .overrideConfigKey("quarkus.rocm.tight.affinity-slack", "0")
            .overrideConfigKey("quarkus.rocm.rr.urls", "${quarkus.rocm.urls}")
            .overrideConfigKey("quarkus.rocm.rr.api-key", ReplicaHosts.KEY)
            .overrideConfigKey("quarkus.rocm.rr.parallel", "2")
            .overrideConfigKey("quarkus.rocm.rr.balance", "round-robin")
            .overrideConfigKey("quarkus.rocm.openai.enabled", "true")
            .overrideConfigKey("quarkus.rocm.openai.timeout", "60s");

    static final HttpClient HTTP = HttpClient.newHttpClient();

    record Turn(double ttftMs, int cached, int evaluated, double tokensPerSecond) {
    }

    @Test
    void prefixAffinityAgainstRoundRobin() throws Exception {
        List<String> models = List.of("affinity", "tight", "rr");
        for (String model : models) { // warm every path and both servers
            conversation(model, "warm-up " + model, 0, 2);
        }
        List<List<Turn>> results = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int phase = 0; phase < models.size() * PHASES; phase++) {
            int m = phase % models.size();
            results.get(m).addAll(phase(models.get(m), "Phase " + phase + ". "));
        }
        StringBuilder md = new StringBuilder();
        md.append("| strategy | turns | TTFT median | TTFT p90 | prompt tokens from cache | prompt tokens evaluated"
                + " | cache share | generation tok/s |\n|---|---|---|---|---|---|---|---|\n");
        row(md, "prefix-affinity (affinity-slack=2, the default)", results.get(0));
        row(md, "prefix-affinity, affinity-slack=0", results.get(1));
        row(md, "round-robin", results.get(2));
        md.append("\n").append(CONVERSATIONS).append(" conversations of ").append(TURNS).append(" turns, ")
                .append(CONCURRENCY).append(" at a time, per phase; ").append(PHASES)
                .append(" phases per strategy, alternating; two replicas of 2 slots; system prompt of ")
                .append(SYSTEM.length()).append(" characters; 16 tokens per answer.\n");
        System.out.println(md);
        Files.writeString(Path.of("target", "prefix-affinity-benchmark.md"), md.toString());
    }

    static void row(StringBuilder md, String name, List<Turn> turns) {
        List<Double> ttft = new ArrayList<>(turns.stream().map(Turn::ttftMs).toList());
        Collections.sort(ttft);
        long cached = turns.stream().mapToLong(Turn::cached).sum();
        long evaluated = turns.stream().mapToLong(Turn::evaluated).sum();
        double tps = turns.stream().mapToDouble(Turn::tokensPerSecond).average().orElse(0);
        md.append(String.format("| %s | %d | %.1f ms | %.1f ms | %d | %d | %.0f %% | %.0f |%n", name, turns.size(),
                ttft.get(ttft.size() / 2), ttft.get((int) (ttft.size() * 0.9)), cached, evaluated,
                100.0 * cached / Math.max(1, cached + evaluated), tps));
    }

    static List<Turn> phase(String model, String prefix) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        try {
            List<Future<List<Turn>>> runs = new ArrayList<>();
            for (int c = 0; c < CONVERSATIONS; c++) {
                int id = c;
                runs.add(pool.submit(() -> conversation(model, prefix, id, TURNS)));
            }
            List<Turn> all = new ArrayList<>();
            for (Future<List<Turn>> f : runs) {
                all.addAll(f.get());
            }
            return all;
        } finally {
            pool.shutdown();
        }
    }

    static List<Turn> conversation(String model, String prefix, int id, int turns) throws IOException, InterruptedException {
        JsonArray messages = new JsonArray().add(new JsonObject().put("role", "system").put("content", prefix + SYSTEM));
        List<Turn> out = new ArrayList<>();
        for (int t = 0; t < turns; t++) {
            messages.add(new JsonObject().put("role", "user").put("content",
                    "Customer " + id + ", question " + t + ": which chain fits a " + (20 + t) + " inch wheel?"));
            StringBuilder answer = new StringBuilder();
            out.add(turn(model, messages, answer));
            messages.add(new JsonObject().put("role", "assistant").put("content", answer.toString()));
        }
        return out;
    }

    static Turn turn(String model, JsonArray messages, StringBuilder answer) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                + "/v1/chat/completions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("model", model).put("messages", messages)
                        .put("stream", true).put("max_tokens", 16).encode()))
                .build();
        long sent = System.nanoTime();
        OpenAiStream s = OpenAiStream.read(HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream()), sent);
        if (s.error() != null || s.timings() == null || s.firstTokenMillis() < 0) {
            throw new IllegalStateException(model + ": status " + s.status() + ", error " + s.error()
                    + ", timings " + s.timings());
        }
        answer.append(s.text());
        JsonObject timings = s.timings();
        double ttft = s.firstTokenMillis();
        return new Turn(ttft, timings.getInteger("cache_n", 0), timings.getInteger("prompt_n", 0),
                timings.getDouble("predicted_per_second", 0.0));
    }
}
