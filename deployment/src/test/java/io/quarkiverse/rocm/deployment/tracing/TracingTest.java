package io.quarkiverse.rocm.deployment.tracing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.langchain4j.model.chat.ChatModel;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkiverse.langchain4j.ModelName;
import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkus.builder.Version;
import io.quarkus.maven.dependency.Dependency;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.path.json.JsonPath;

/**
 * With quarkus-opentelemetry in the application: a GenAI span per request of the OpenAI API (below the HTTP server's
 * span) and per call of the chat model (below the caller's span), with the conventions' attributes equal to what the
 * answer said; spans of the model's load, unload and load again; no prompt or answer recorded. At Quarkus 3.34.1
 * (quarkus-opentelemetry 3.37.3 is not served, so the 3.37 build leaves this test out).
 */
public class TracingTest {

    static final String PROMPT = "Tell the tracer a secret";
    static final String OPERATOR = "sk-operator";

    /** The spans, kept in memory (the pattern of Quarkus' own OpenTelemetry tests). */
    public static class Exporter {
        @Produces
        @Singleton
        InMemorySpanExporter exporter() {
            return InMemorySpanExporter.create();
        }
    }

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Exporter.class, Spans.class))
            .setForcedDependencies(List.of(Dependency.of("io.quarkus", "quarkus-opentelemetry", Version.getVersion())))
            .overrideConfigKey("quarkus.otel.bsp.schedule.delay", "50ms")
            .overrideConfigKey("quarkus.otel.metrics.enabled", "false")
            .overrideConfigKey("quarkus.otel.logs.enabled", "false")
            .overrideConfigKey("quarkus.rocm.openai.enabled", "true")
            .overrideConfigKey("quarkus.rocm.openai.operator-keys", OPERATOR)
            .overrideConfigKey("quarkus.langchain4j.chat-model.provider", "rocm")
            .overrideConfigKey("quarkus.langchain4j.alpha.chat-model.provider", "rocm")
            .overrideConfigKey("quarkus.rocm.alpha.model.path", model().toString())
            .overrideConfigKey("quarkus.rocm.alpha.threads", "1");

    static Path model() {
        try {
            return TinyModel.builder().reply("Alpha speaking.").build()
                    .ensure(Path.of("target", "test-models", "tracing", "alpha.gguf").toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Inject
    InMemorySpanExporter exporter;

    @Inject
    @ModelName("alpha")
    ChatModel chatModel;

    @Inject
    Tracer tracer;

    @Test
    void apiRequestsAreGenAiSpansBelowTheServerSpan() throws Exception {
        JsonPath answer = given().contentType("application/json").body("{\"model\":\"alpha\",\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"" + PROMPT + "\"}],\"max_tokens\":3,\"temperature\":0.5,\"top_p\":0.9}")
                .post("/v1/chat/completions").then().statusCode(200).extract().jsonPath();
        SpanData chat = await(s -> s.getName().equals("chat alpha") && s.getParentSpanId() != null
                && "anonymous".equals(s.getAttributes().get(AttributeKey.stringKey("rocm.caller")))
                && s.getAttributes().get(AttributeKey.doubleKey("gen_ai.request.temperature")) != null);
        assertThat(chat.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(str(chat, "gen_ai.operation.name")).isEqualTo("chat");
        assertThat(str(chat, "gen_ai.provider.name")).isEqualTo("llama.cpp");
        assertThat(str(chat, "gen_ai.system")).isEqualTo("llama.cpp");
        assertThat(str(chat, "gen_ai.request.model")).isEqualTo("alpha");
        assertThat(chat.getAttributes().get(AttributeKey.longKey("gen_ai.request.max_tokens"))).isEqualTo(3L);
        assertThat(chat.getAttributes().get(AttributeKey.doubleKey("gen_ai.request.temperature"))).isEqualTo(0.5);
        assertThat(chat.getAttributes().get(AttributeKey.doubleKey("gen_ai.request.top_p"))).isEqualTo(0.9);
        assertThat(str(chat, "gen_ai.response.model")).isEqualTo(answer.getString("model"));
        assertThat(chat.getAttributes().get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")))
                .containsExactly(answer.getString("choices[0].finish_reason"));
        assertThat(chat.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")))
                .isEqualTo(answer.getLong("usage.prompt_tokens"));
        assertThat(chat.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens")))
                .isEqualTo(answer.getLong("usage.completion_tokens")).isEqualTo(3L);
        assertThat(chat.getAttributes().get(AttributeKey.longKey("rocm.prompt.cached_tokens"))).isNotNull();
        assertThat(chat.getAttributes().get(AttributeKey.doubleKey("rocm.queue.duration"))).isBetween(0.0, 60.0);
        assertThat(chat.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
        // a descendant of the HTTP server's span of the request
        SpanData server = await(s -> s.getKind() == SpanKind.SERVER && s.getTraceId().equals(chat.getTraceId()));
        assertThat(ancestors(chat)).contains(server.getSpanId());
        assertNoContent();

        // streamed: the time to the first chunk, the usage of the final chunk
        String streamed = given().contentType("application/json").body("{\"model\":\"alpha\",\"messages\":[{\"role\":"
                + "\"user\",\"content\":\"Hi\"}],\"max_tokens\":5,\"ignore_eos\":true,\"stream\":true}")
                .post("/v1/chat/completions")
                .then().statusCode(200).extract().asString();
        assertThat(streamed).contains("[DONE]");
        SpanData stream = await(s -> s.getName().equals("chat alpha")
                && s.getAttributes().get(AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk")) != null
                && Long.valueOf(5).equals(s.getAttributes().get(AttributeKey.longKey("gen_ai.request.max_tokens"))));
        assertThat(stream.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens"))).isEqualTo(5L);
        assertThat(stream.getAttributes().get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")))
                .containsExactly("length");
        assertThat(stream.getAttributes().get(AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk")))
                .isGreaterThan(0.0);
    }

    @Test
    void theChatModelsCallsAreChildrenOfTheCallersSpan() throws Exception {
        Span caller = tracer.spanBuilder("the caller's work").startSpan();
        String reply;
        try (Scope ignored = caller.makeCurrent()) {
            reply = chatModel.chat(PROMPT);
        } finally {
            caller.end();
        }
        assertThat(reply).contains("Alpha");
        String callerId = caller.getSpanContext().getSpanId();
        SpanData chat = await(s -> s.getName().equals("chat alpha") && ancestors(s).contains(callerId));
        assertThat(str(chat, "rocm.caller")).isEqualTo("application");
        // quarkus-langchain4j's own span of the call, ours below it
        SpanData langchain4j = await(s -> s.getName().equals("completion alpha"));
        assertThat(chat.getParentSpanId()).isEqualTo(langchain4j.getSpanId());
        assertThat(langchain4j.getParentSpanId()).isEqualTo(callerId);
        // no parentless span of the HTTP client for the same call (nor for the metrics' polls of llama-server)
        assertThat(exporter.getFinishedSpanItems()).noneMatch(s -> s.getKind() == SpanKind.CLIENT
                && s.getAttributes().get(AttributeKey.stringKey("url.full")) != null);
        assertThat(chat.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens"))).isPositive();
        assertThat(chat.getAttributes().get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")))
                .isNotEmpty();
        assertNoContent();
    }

    @Test
    void modelLoadsAndUnloadsAreSpans() throws Exception {
        SpanData boot = await(s -> s.getName().equals("rocm.model.load"));
        assertThat(str(boot, "gen_ai.request.model")).isEqualTo("alpha");
        assertThat(boot.getParentSpanId()).isEqualTo(io.opentelemetry.api.trace.SpanId.getInvalid());
        given().header("Authorization", "Bearer " + OPERATOR).post("/v1/models/alpha/unload").then().statusCode(200);
        SpanData unload = await(s -> s.getName().equals("rocm.model.unload"));
        assertThat(str(unload, "rocm.reason")).isEqualTo("operator");
        int loadsBefore = (int) exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("rocm.model.load")).count();
        given().header("Authorization", "Bearer " + OPERATOR).post("/v1/models/alpha/load").then().statusCode(200);
        await(s -> s.getName().equals("rocm.model.load") && exporter.getFinishedSpanItems().stream()
                .filter(x -> x.getName().equals("rocm.model.load")).count() > loadsBefore);
    }

    /** Neither the prompt nor the reply is in any span. */
    private void assertNoContent() {
        for (SpanData s : exporter.getFinishedSpanItems()) {
            s.getAttributes().forEach((k, v) -> assertThat(String.valueOf(v)).as(s.getName() + " " + k)
                    .doesNotContain(PROMPT).doesNotContain("Alpha speaking"));
        }
    }

    private static String str(SpanData s, String key) {
        return s.getAttributes().get(AttributeKey.stringKey(key));
    }

    /** The span ids above {@code span} among the finished spans. */
    private List<String> ancestors(SpanData span) {
        List<SpanData> all = exporter.getFinishedSpanItems();
        java.util.List<String> up = new java.util.ArrayList<>();
        String parent = span.getParentSpanId();
        while (parent != null && !parent.equals(io.opentelemetry.api.trace.SpanId.getInvalid())) {
            up.add(parent);
            String p = parent;
            Optional<SpanData> next = all.stream().filter(s -> s.getSpanId().equals(p)).findFirst();
            parent = next.map(SpanData::getParentSpanId).orElse(null);
        }
        return up;
    }

    private SpanData await(Predicate<SpanData> which) throws InterruptedException {
        return Spans.await(exporter, which);
    }
}
