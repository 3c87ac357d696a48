package io.quarkiverse.rocm.deployment.tracing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.embedding.EmbeddingModel;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkiverse.langchain4j.ModelName;
import io.quarkus.builder.Version;
import io.quarkus.maven.dependency.Dependency;
import io.quarkus.test.QuarkusUnitTest;

/**
 * With {@code quarkus.rocm.capture-content=true} the spans carry the request's JSON ({@code gen_ai.input.messages})
 * and the answer as llama-server sent it ({@code gen_ai.output.messages}): whole and streamed, through the API and
 * the chat model; and the embedding model's calls and the API's embeddings are spans too. At Quarkus 3.34.1, like
 * {@link TracingTest}.
 */
public class TracingContentTest {

    static final String PROMPT = "Tell the tracer a secret";
    static final AttributeKey<String> INPUT = AttributeKey.stringKey("gen_ai.input.messages");
    static final AttributeKey<String> OUTPUT = AttributeKey.stringKey("gen_ai.output.messages");

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(TracingTest.class, TracingTest.Exporter.class, Spans.class))
            .setForcedDependencies(List.of(Dependency.of("io.quarkus", "quarkus-opentelemetry", Version.getVersion())))
            .overrideConfigKey("quarkus.otel.bsp.schedule.delay", "50ms")
            .overrideConfigKey("quarkus.otel.metrics.enabled", "false")
            .overrideConfigKey("quarkus.otel.logs.enabled", "false")
            .overrideConfigKey("quarkus.rocm.capture-content", "true")
            .overrideConfigKey("quarkus.rocm.openai.enabled", "true")
            .overrideConfigKey("quarkus.langchain4j.chat-model.provider", "rocm")
            .overrideConfigKey("quarkus.langchain4j.alpha.chat-model.provider", "rocm")
            .overrideConfigKey("quarkus.rocm.alpha.model.path", TracingTest.model().toString())
            .overrideConfigKey("quarkus.rocm.alpha.threads", "1")
            .overrideConfigKey("quarkus.rocm.embed.model.path", TracingTest.model().toString())
            .overrideConfigKey("quarkus.rocm.embed.embeddings", "true")
            .overrideConfigKey("quarkus.rocm.embed.pooling", "mean")
            .overrideConfigKey("quarkus.rocm.embed.threads", "1")
            .overrideConfigKey("quarkus.langchain4j.embed.embedding-model.provider", "rocm");

    @Inject
    InMemorySpanExporter exporter;

    @Inject
    @ModelName("alpha")
    ChatModel chatModel;

    @Inject
    @ModelName("embed")
    EmbeddingModel embeddingModel;

    @Test
    void promptsAndAnswersAreRecordedWhenAsked() throws Exception {
        given().contentType("application/json").body("{\"model\":\"alpha\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + PROMPT + " whole\"}],\"max_tokens\":8}").post("/v1/chat/completions").then().statusCode(200);
        SpanData whole = await(s -> s.getName().equals("chat alpha") && String.valueOf(s.getAttributes().get(INPUT))
                .contains(PROMPT + " whole"));
        assertThat(whole.getAttributes().get(OUTPUT)).contains("Alpha speaking.").contains("\"choices\"");

        given().contentType("application/json").body("{\"model\":\"alpha\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + PROMPT + " streamed\"}],\"stream\":true}").post("/v1/chat/completions").then().statusCode(200);
        SpanData streamed = await(s -> s.getName().equals("chat alpha") && String.valueOf(s.getAttributes().get(INPUT))
                .contains(PROMPT + " streamed"));
        assertThat(streamed.getAttributes().get(OUTPUT)).contains("data: ").contains("[DONE]");

        assertThat(chatModel.chat(PROMPT + " model")).contains("Alpha");
        SpanData model = await(s -> s.getName().equals("chat alpha") && String.valueOf(s.getAttributes().get(INPUT))
                .contains(PROMPT + " model"));
        assertThat(model.getAttributes().get(OUTPUT)).contains("Alpha speaking.");
        assertThat(model.getAttributes().get(AttributeKey.stringKey("rocm.caller"))).isEqualTo("application");

        // embeddings: the application's and the API's
        assertThat(embeddingModel.embed("vectors please").content().dimension()).isPositive();
        SpanData own = await(s -> s.getName().equals("embeddings embed")
                && "application".equals(s.getAttributes().get(AttributeKey.stringKey("rocm.caller"))));
        assertThat(own.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name"))).isEqualTo("embeddings");
        assertThat(own.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens"))).isPositive();
        assertThat(own.getAttributes().get(INPUT)).contains("vectors please");
        given().contentType("application/json").body("{\"model\":\"embed\",\"input\":\"api vectors\"}")
                .post("/v1/embeddings").then().statusCode(200);
        SpanData api = await(s -> s.getName().equals("embeddings embed")
                && "anonymous".equals(s.getAttributes().get(AttributeKey.stringKey("rocm.caller"))));
        assertThat(api.getAttributes().get(INPUT)).contains("api vectors");
    }

    private SpanData await(Predicate<SpanData> which) throws InterruptedException {
        return Spans.await(exporter, which);
    }
}
