package io.quarkiverse.rocm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import io.quarkiverse.rocm.runtime.langchain4j.RocmChatModel;
import io.quarkiverse.rocm.runtime.langchain4j.RocmChatRequestParameters;
import io.quarkiverse.rocm.runtime.langchain4j.RocmChatResponseMetadata;
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkus.test.junit.QuarkusTest;

/** RocmChatModel against the real llama-server and the tiny scripted model, at temperature 0. */
@QuarkusTest
class RocmChatModelTest {

    static final String REPLY = TinyModel.DEFAULT_REPLY;

    @Inject
    RocmChatModel model;

    @Inject
    ChatModel providerChatModel;

    @Inject
    StreamingChatModel providerStreamingModel;

    @Inject
    RecordingListener listener;

    @BeforeEach
    void clear() {
        listener.clear();
    }

    static ChatRequest.Builder request(String text) {
        return ChatRequest.builder().messages(UserMessage.from(text))
                .parameters(RocmChatRequestParameters.builder().temperature(0.0).build());
    }

    @Test
    void blockingChatGivesTheExactReplyUsageAndTimings() {
        ChatResponse r = model.chat(request("Hello, who are you?").build());
        assertThat(r.aiMessage().text()).isEqualTo(REPLY);
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.tokenUsage().outputTokenCount()).isEqualTo(15);
        assertThat(r.tokenUsage().inputTokenCount()).isPositive();
        assertThat(r.tokenUsage().totalTokenCount())
                .isEqualTo(r.tokenUsage().inputTokenCount() + r.tokenUsage().outputTokenCount());
        assertThat(r.id()).startsWith("chatcmpl-");
        assertThat(r.metadata()).isInstanceOf(RocmChatResponseMetadata.class);
        RocmChatResponseMetadata.Timings t = ((RocmChatResponseMetadata) r.metadata()).timings();
        assertThat(t.predictedTokens()).isEqualTo(15);
        assertThat(t.predictedMillis()).isPositive();
        assertThat(model.chat("Hi")).isEqualTo(REPLY);
    }

    @Test
    void streamingChatDeliversEveryTokenThenOneCompleteResponse() throws Exception {
        Collector c = new Collector();
        model.chat(request("Hello").build(), c);
        ChatResponse r = c.await();
        assertThat(c.partials).hasSize(14).startsWith("Hello!", " I am", " a tiny").endsWith(" answer.");
        assertThat(String.join("", c.partials)).isEqualTo(REPLY);
        assertThat(r.aiMessage().text()).isEqualTo(REPLY);
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.tokenUsage().outputTokenCount()).isEqualTo(15);
        assertThat(((RocmChatResponseMetadata) r.metadata()).timings().predictedTokens()).isEqualTo(15);
        Thread.sleep(100);
        assertThat(c.ends).hasValue(1);
    }

    @Test
    void maxTokensEndsWithLength() throws Exception {
        ChatResponse r = model.chat(request("Hi").parameters(RocmChatRequestParameters.builder().temperature(0.0)
                .maxOutputTokens(5).build()).build());
        assertThat(r.aiMessage().text()).isEqualTo("Hello! I am a tiny test model");
        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
        Collector c = new Collector();
        model.chat(request("Hi").parameters(RocmChatRequestParameters.builder().maxOutputTokens(3).build()).build(), c);
        assertThat(c.await().finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(c.partials).containsExactly("Hello!", " I am", " a tiny");
    }

    @Test
    void stopSequencesEndTheAnswer() {
        ChatResponse r = model.chat(request("Hi").parameters(RocmChatRequestParameters.builder()
                .stopSequences(List.of("test")).build()).build());
        assertThat(r.aiMessage().text()).isEqualTo("Hello! I am a tiny ");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
    }

    record Forecast(String city, int days, boolean sunny) {
    }

    @Test
    void aJsonSchemaAnswerParsesIntoARecord() throws Exception {
        JsonSchema schema = JsonSchema.builder().name("forecast").rootElement(JsonObjectSchema.builder()
                .addStringProperty("city").addIntegerProperty("days").addBooleanProperty("sunny")
                .required("city", "days", "sunny").additionalProperties(false).build()).build();
        ChatResponse r = model.chat(request("The forecast for Paris, as JSON")
                .parameters(RocmChatRequestParameters.builder()
                        .responseFormat(ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(schema).build())
                        .build())
                .build());
        Forecast f = new ObjectMapper().readValue(r.aiMessage().text(), Forecast.class);
        assertThat(f).isEqualTo(new Forecast(REPLY, 1, true));
        assertThat(model.supportedCapabilities()).contains(dev.langchain4j.model.chat.Capability.RESPONSE_FORMAT_JSON_SCHEMA);
    }

    static ToolSpecification weatherTool() {
        return ToolSpecification.builder().name("forecast").description("Weather forecast of a city")
                .parameters(JsonObjectSchema.builder().addStringProperty("city").addIntegerProperty("days")
                        .required("city", "days").build())
                .build();
    }

    @Test
    void toolsAreCalledBlockingAndStreaming() throws Exception {
        ChatRequest withTools = request("Weather in Paris?").parameters(RocmChatRequestParameters.builder()
                .temperature(0.0).toolSpecifications(weatherTool()).build()).build();
        ChatResponse r = model.chat(withTools);
        assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        assertThat(r.aiMessage().text()).isNull();
        ToolExecutionRequest call = r.aiMessage().toolExecutionRequests().get(0);
        assertThat(call.name()).isEqualTo("forecast");
        assertThat(call.id()).isNotBlank();
        assertThat(new ObjectMapper().readTree(call.arguments()).path("days").asInt()).isEqualTo(1);

        Collector c = new Collector();
        model.chat(withTools, c);
        ChatResponse streamed = c.await();
        assertThat(streamed.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        assertThat(c.completeToolCalls).hasSize(1);
        ToolExecutionRequest complete = c.completeToolCalls.get(0).toolExecutionRequest();
        assertThat(complete.name()).isEqualTo("forecast");
        assertThat(new ObjectMapper().readTree(complete.arguments()).path("city").asText()).isEqualTo(REPLY);
        assertThat(c.partialToolCalls).isNotEmpty().allSatisfy(p -> assertThat(p.index()).isZero());
        assertThat(streamed.aiMessage().toolExecutionRequests()).containsExactly(complete);

        // the tool's result goes back: the model answers from it and the loop ends
        ChatResponse answer = model.chat(ChatRequest.builder().messages(UserMessage.from("Weather in Paris?"),
                AiMessage.from(complete), ToolExecutionResultMessage.from(complete, "Sunny"))
                .parameters(RocmChatRequestParameters.builder().temperature(0.0).toolSpecifications(weatherTool()).build())
                .build());
        assertThat(answer.aiMessage().text()).isEqualTo(REPLY);
        assertThat(answer.finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void cancellingAStreamFreesTheSlotAtOnce() throws Exception {
        ModelServer server = model.client().server();
        assertThat(server.spec().parallel()).as("one slot: a busy slot would block the next request").isEqualTo(1);
        Collector c = new Collector();
        // ignore_eos: the scripted model would talk for 100000 tokens (many seconds) if not cancelled
        model.chat(request("Talk").parameters(RocmChatRequestParameters.builder().ignoreEos(true)
                .maxOutputTokens(100_000).build()).build(), c);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (c.handle == null) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(5);
        }
        c.handle.cancel();
        assertThat(c.handle.isCancelled()).isTrue();
        Slots.awaitIdle(model.client(), Duration.ofSeconds(10));
        ChatResponse next = model.chat(request("Hi").build());
        assertThat(next.aiMessage().text()).isEqualTo(REPLY);
        assertThat(c.ends).as("no end callback after a cancel").hasValue(0);
    }

    @Test
    void aServerKilledMidStreamCallsOnErrorOnceAndTheNextRequestIsServed() throws Exception {
        ModelServer server = model.client().server();
        Collector c = new Collector();
        model.chat(request("Talk").parameters(RocmChatRequestParameters.builder().ignoreEos(true)
                .maxOutputTokens(100_000).build()).build(), c);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (c.partials.isEmpty()) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(5);
        }
        Signals.send(server.pid().orElseThrow(), "KILL");
        Throwable error = c.error.get(30, TimeUnit.SECONDS);
        assertThat(error).isInstanceOf(RetriableException.class).hasMessageContaining("went away during the request");
        Thread.sleep(200);
        assertThat(c.ends).as("onError exactly once").hasValue(1);
        assertThat(listener.errors).hasSize(1);
        // the next request waits for the restarted server and is served
        assertThat(model.chat(request("Hi").build()).aiMessage().text()).isEqualTo(REPLY);
    }

    @Test
    void aPromptLongerThanTheContextIsAnInvalidRequest() {
        String huge = "word ".repeat(5000);
        assertThatThrownBy(() -> model.chat(request(huge).build())).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("answered 400");
    }

    @Inject
    io.vertx.core.Vertx vertx;

    @Test
    void aBlockingChatOnAnEventLoopIsRefusedWithTheWayOut() throws Exception {
        java.util.concurrent.CompletableFuture<Throwable> refused = new java.util.concurrent.CompletableFuture<>();
        vertx.runOnContext(v -> {
            try {
                model.chat("Hi");
                refused.completeExceptionally(new AssertionError("a blocking chat ran on the event loop"));
            } catch (RuntimeException e) {
                refused.complete(e);
            }
        });
        assertThat(refused.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                .hasMessage("RocmChatModel.chat() blocks until the whole answer is there and must not run on a Vert.x"
                        + " event loop: call it from a worker thread (@Blocking, or a blocking endpoint), or use the"
                        + " streaming chat instead");
    }

    @Test
    void listenersSeeRequestsAndResponses() {
        model.chat(request("Hi").build());
        assertThat(listener.requests).hasSize(1);
        assertThat(listener.requests.get(0).chatRequest().messages()).hasSize(1);
        assertThat(listener.responses).hasSize(1);
        assertThat(listener.responses.get(0).chatResponse().aiMessage().text()).isEqualTo(REPLY);
    }

    @Test
    void theProviderBeansAreRocmChatModels() throws Exception {
        assertThat(providerChatModel.chat("Hi")).isEqualTo(REPLY);
        Collector c = new Collector();
        providerStreamingModel.chat(request("Hi").build(), c);
        assertThat(c.await().aiMessage().text()).isEqualTo(REPLY);
        assertThat(providerChatModel.listeners()).anyMatch(l -> l instanceof RecordingListener);
    }

    @Test
    void countsTokensExactlyWithTheModelsTokenizerAndTemplate() {
        List<dev.langchain4j.data.message.ChatMessage> messages = List.of(
                dev.langchain4j.data.message.SystemMessage.from("Be brief."), UserMessage.from("Who are you?"));
        ChatResponse answer = model.chat(ChatRequest.builder().messages(messages).build());
        assertThat(model.estimateTokenCountInMessages(messages)).as("the prompt tokens the same messages cost")
                .isEqualTo(answer.tokenUsage().inputTokenCount());
        assertThat(model.estimateTokenCountInText("Hello world"))
                .as("the tiny model's vocabulary has no word tokens for these: one per character")
                .isEqualTo("Hello world".length());
        dev.langchain4j.memory.chat.TokenWindowChatMemory memory = dev.langchain4j.memory.chat.TokenWindowChatMemory
                .withMaxTokens(40, model);
        messages.forEach(memory::add);
        memory.add(UserMessage.from("And what else can you tell me about yourself, in many words?"));
        assertThat(model.estimateTokenCountInMessages(memory.messages())).as("the window evicts what does not fit")
                .isLessThanOrEqualTo(40);
    }

    @Test
    void aPromptLargerThanTheContextIsAnInvalidRequestSayingWhatToChange() {
        // llama-server's own refusal, with the property to raise
        assertThatThrownBy(() -> model.chat("word ".repeat(5000))).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("exceeds the available context size")
                .hasMessageContaining("raise quarkus.rocm.context-size (4096 tokens per request now)");
    }
}
