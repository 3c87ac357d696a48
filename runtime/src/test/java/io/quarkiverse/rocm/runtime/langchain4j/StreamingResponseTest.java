package io.quarkiverse.rocm.runtime.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import io.vertx.core.buffer.Buffer;

/**
 * The chunk-to-callback mapping for what the tiny model cannot be made to produce: reasoning, several tool calls in
 * one answer, a malformed chunk, an error event, and a handler that throws. (Text, one tool call, usage and finish
 * reasons are tested against the real llama-server.)
 */
class StreamingResponseTest {

    static final class Recorder implements StreamingChatResponseHandler {
        final List<String> events = new ArrayList<>();
        ChatResponse response;
        Throwable error;
        boolean throwOnPartial;

        @Override
        public void onPartialResponse(PartialResponse p, PartialResponseContext c) {
            events.add("text:" + p.text());
            if (throwOnPartial) {
                throw new IllegalStateException("the handler's own bug");
            }
        }

        @Override
        public void onPartialThinking(PartialThinking p, PartialThinkingContext c) {
            events.add("thinking:" + p.text());
        }

        @Override
        public void onPartialToolCall(PartialToolCall p, PartialToolCallContext c) {
            events.add("partial-call:" + p.index() + ":" + p.name() + ":" + p.partialArguments());
        }

        @Override
        public void onCompleteToolCall(CompleteToolCall c) {
            events.add("call:" + c.index() + ":" + c.toolExecutionRequest().id() + ":" + c.toolExecutionRequest().name()
                    + ":" + c.toolExecutionRequest().arguments());
        }

        @Override
        public void onCompleteResponse(ChatResponse r) {
            events.add("complete");
            response = r;
        }

        @Override
        public void onError(Throwable t) {
            events.add("error");
            error = t;
        }
    }

    static Buffer chunk(String delta, String finish) {
        return Buffer.buffer("{\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
                + (finish == null ? "null" : "\"" + finish + "\"") + "}],\"id\":\"chatcmpl-1\",\"model\":\"m\"}");
    }

    @Test
    void reasoningThenTextBecomeThinkingAndText() {
        Recorder r = new Recorder();
        StreamingResponse s = new StreamingResponse(r, new ObjectMapper(), false, false);
        s.onData(chunk("{\"role\":\"assistant\",\"content\":null}", null));
        s.onData(chunk("{\"reasoning_content\":\"Let me\"}", null));
        s.onData(chunk("{\"reasoning_content\":\" think.\"}", null));
        s.onData(chunk("{\"content\":\"Hello\"}", null));
        s.onData(chunk("{}", "stop"));
        s.onData(Buffer.buffer("{\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7},"
                + "\"timings\":{\"prompt_n\":3,\"prompt_ms\":1.5,\"predicted_n\":4,\"predicted_ms\":2.0,\"cache_n\":0}}"));
        s.onComplete();
        assertThat(r.events).containsExactly("thinking:Let me", "thinking: think.", "text:Hello", "complete");
        assertThat(r.response.aiMessage().thinking()).isEqualTo("Let me think.");
        assertThat(r.response.aiMessage().text()).isEqualTo("Hello");
        assertThat(r.response.tokenUsage().totalTokenCount()).isEqualTo(7);
        assertThat(((RocmChatResponseMetadata) r.response.metadata()).timings().predictedTokensPerSecond())
                .isEqualTo(2000.0);
    }

    @Test
    void severalToolCallsCompleteInOrderWithTheirIds() {
        Recorder r = new Recorder();
        StreamingResponse s = new StreamingResponse(r, new ObjectMapper(), false, false);
        s.onData(chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"a1\",\"type\":\"function\",\"function\":"
                + "{\"name\":\"weather\",\"arguments\":\"{\\\"city\\\":\"}}]}", null));
        s.onData(chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]}", null));
        s.onData(chunk("{\"tool_calls\":[{\"index\":1,\"id\":\"b2\",\"type\":\"function\",\"function\":"
                + "{\"name\":\"time\",\"arguments\":\"{}\"}}]}", null));
        s.onData(chunk("{}", "tool_calls"));
        s.onComplete();
        assertThat(r.events).containsExactly("partial-call:0:weather:{\"city\":", "partial-call:0:weather:\"Paris\"}",
                "call:0:a1:weather:{\"city\":\"Paris\"}", "partial-call:1:time:{}", "call:1:b2:time:{}", "complete");
        assertThat(r.response.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        assertThat(r.response.aiMessage().text()).isNull();
        assertThat(r.response.aiMessage().toolExecutionRequests()).extracting(t -> t.id()).containsExactly("a1", "b2");
    }

    @Test
    void aMalformedChunkEndsTheStreamWithOneError() {
        Recorder r = new Recorder();
        StreamingResponse s = new StreamingResponse(r, new ObjectMapper(), false, false);
        s.onData(chunk("{\"content\":\"Hel\"}", null));
        s.onData(Buffer.buffer("{\"choices\":[{\"delta\":"));
        s.onData(chunk("{\"content\":\"lo\"}", null));
        s.onComplete();
        assertThat(r.events).containsExactly("text:Hel", "error");
        assertThat(r.error).isInstanceOf(InternalServerException.class).hasMessageContaining("malformed stream chunk");
    }

    @Test
    void anErrorEventIsTypedByItsCode() {
        Recorder r = new Recorder();
        StreamingResponse s = new StreamingResponse(r, new ObjectMapper(), false, false);
        s.onData(Buffer.buffer("{\"error\":{\"code\":400,\"message\":\"the request exceeds the context\","
                + "\"type\":\"exceed_context_size_error\"}}"));
        s.onComplete();
        assertThat(r.events).containsExactly("error");
        assertThat(r.error).isInstanceOf(InvalidRequestException.class).hasMessageContaining("exceeds the context");
    }

    @Test
    void aHandlerThatThrowsDoesNotEndTheStream() {
        Recorder r = new Recorder();
        r.throwOnPartial = true;
        StreamingResponse s = new StreamingResponse(r, new ObjectMapper(), false, false);
        s.onData(chunk("{\"content\":\"a\"}", null));
        s.onData(chunk("{\"content\":\"b\"}", "stop"));
        s.onComplete();
        assertThat(r.events).containsExactly("text:a", "text:b", "complete");
        assertThat(r.response.aiMessage().text()).isEqualTo("ab");
    }
}
