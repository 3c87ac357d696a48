package io.quarkiverse.rocm.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;

import org.acme.Conversations;
import org.acme.Forecasts;
import org.acme.Library;
import org.acme.Summaries;
import org.acme.WeatherAgent;
import org.acme.WeatherTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.ChatMemory;
import io.quarkiverse.rocm.testing.TinyAdapter;
import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkus.test.QuarkusUnitTest;

/**
 * The LangChain4j guide's examples, run as the page shows them: its models block (the files it names written as tiny
 * models of their kinds), its AI service with tools, streamed and whole, its structured output, the chat model with
 * llama.cpp's parameters and an adapter, token counting and chat memory, embeddings and reranking.
 */
public class LangChain4jGuideTest {

    @RegisterExtension
    static final QuarkusUnitTest app = GuideApps.configured(new QuarkusUnitTest().withApplicationRoot(jar -> jar.addClasses(
            WeatherAgent.class, WeatherTools.class, Forecasts.class, Forecasts.Forecast.class, Summaries.class,
            Conversations.class, Library.class, Guide.class, GuideApps.class, ExampleFiles.class)), "langchain4j.adoc",
            "models-config", "", "embed", "rank");

    @Inject
    WeatherAgent agent;

    @Inject
    Forecasts forecasts;

    @Inject
    Summaries summaries;

    @Inject
    Conversations conversations;

    @Inject
    Library library;

    @Test
    @ActivateRequestContext
    void theAgentCallsItsToolAndAnswers() {
        assertThat(agent.ask("What is the weather in Paris?")).isEqualTo(TinyModel.DEFAULT_REPLY);
        String streamed = String.join("", agent.askStreaming("And in Rome?").collect().asList()
                .await().atMost(Duration.ofSeconds(60)));
        assertThat(streamed).isEqualTo(TinyModel.DEFAULT_REPLY);
    }

    @Test
    @ActivateRequestContext
    void structuredOutputParses() {
        Forecasts.Forecast forecast = forecasts.forecast("Paris");
        assertThat(forecast).as("the answer parsed into the record").isNotNull();
        // the schema requires both: the tiny model fills each string property with its reply
        assertThat(forecast.city()).isEqualTo(TinyModel.DEFAULT_REPLY);
        assertThat(forecast.summary()).isEqualTo(TinyModel.DEFAULT_REPLY);
    }

    @Test
    void theChatModelAnswersWithParametersAndAnAdapter() {
        assertThat(summaries.summarize("a long text")).isEqualTo(TinyModel.DEFAULT_REPLY);
        assertThat(conversations.precise("Who are you?").aiMessage().text()).isEqualTo(TinyModel.DEFAULT_REPLY);
        assertThat(conversations.withAdapter("Who are you?").aiMessage().text())
                .isEqualTo(TinyAdapter.of(TinyModel.defaults(), 1).reply());
    }

    @Test
    void tokensAreCountedByTheModel() {
        int hello = conversations.tokens("Hello");
        assertThat(hello).isPositive();
        assertThat(conversations.tokens("Hello Hello Hello")).isGreaterThan(hello);
        ChatMemory memory = conversations.memory();
        memory.add(UserMessage.from("Who are you?"));
        memory.add(AiMessage.from(TinyModel.DEFAULT_REPLY));
        assertThat(memory.messages()).hasSize(2);
    }

    @Test
    void embeddingsAndScores() {
        assertThat(library.embed("Hello").dimension()).isPositive();
        List<Double> scores = library.rank("alpha", List.of("bravo", "the alpha"));
        assertThat(scores.get(1)).as("the document with the query's word").isGreaterThan(scores.get(0));
    }
}
