package io.quarkiverse.rocm.runtime.langchain4j;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.internal.ToolCallBuilder;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import io.quarkiverse.rocm.runtime.client.LlamaServerClient;
import io.quarkiverse.rocm.runtime.client.SseListener;
import io.quarkiverse.rocm.runtime.client.UpstreamException;
import io.quarkiverse.rocm.runtime.client.Usage;
import io.vertx.core.buffer.Buffer;

/**
 * One streamed chat answer: parses each {@code chat.completion.chunk}, calls the handler for text, reasoning and tool
 * call pieces as they come (a tool call is complete when the next index starts or the answer ends), and finishes with
 * exactly one {@code onCompleteResponse} or {@code onError}. A handler that throws is logged and does not end the
 * stream.
 */
final class StreamingResponse implements SseListener, StreamingHandle {

    private static final Logger LOG = Logger.getLogger(StreamingResponse.class);

    private final StreamingChatResponseHandler handler;
    private final ObjectMapper mapper;
    private final boolean logResponses;
    /** Whether the answer's content goes to the exchange's observers ({@code quarkus.rocm.capture-content}). */
    private final boolean captureContent;
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile LlamaServerClient.Stream stream;
    private volatile boolean cancelled;

    private final StringBuilder text = new StringBuilder();
    private final StringBuilder thinking = new StringBuilder();
    /** LangChain4j's own assembler of streamed tool calls: pieces by index, a call complete when the next begins. */
    private final ToolCallBuilder toolCalls = new ToolCallBuilder();
    private boolean toolCallStarted;
    private String finishReason;
    private JsonNode usage;
    private JsonNode last;

    StreamingResponse(StreamingChatResponseHandler handler, ObjectMapper mapper, boolean logResponses,
            boolean captureContent) {
        this.handler = handler;
        this.mapper = mapper;
        this.logResponses = logResponses;
        this.captureContent = captureContent;
    }

    void attach(LlamaServerClient.Stream stream) {
        this.stream = stream;
        if (cancelled) {
            stream.cancel();
        }
    }

    // ------------------------------------------------------------------ StreamingHandle

    @Override
    public void cancel() {
        cancelled = true;
        LlamaServerClient.Stream s = stream;
        if (s != null) {
            s.cancel();
        }
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    // ------------------------------------------------------------------ SseListener

    @Override
    public void onData(Buffer data) {
        if (cancelled || finished.get()) {
            return;
        }
        JsonNode chunk;
        try {
            chunk = mapper.readTree(data.getBytes());
        } catch (IOException e) {
            error(new UpstreamException(UpstreamException.Kind.HTTP, 502,
                    "llama-server sent a malformed stream chunk: " + abbreviate(data.toString()),
                    null, e));
            return;
        }
        if (logResponses) {
            LOG.infof("llama-server chunk: %s", data);
        }
        JsonNode error = chunk.get("error");
        if (error != null) {
            error(new UpstreamException(UpstreamException.Kind.HTTP, error.path("code").asInt(500),
                    "llama-server failed during the answer: " + error.path("message").asText(),
                    error.path("message").asText(), null));
            return;
        }
        last = chunk;
        if (chunk.hasNonNull("usage")) {
            usage = chunk.get("usage");
        }
        JsonNode choice = chunk.path("choices").path(0);
        if (choice.isMissingNode()) {
            return;
        }
        JsonNode delta = choice.path("delta");
        String content = ChatRequests.textOrNull(delta.get("content"));
        if (content != null && !content.isEmpty()) {
            text.append(content);
            call(() -> handler.onPartialResponse(new PartialResponse(content), new PartialResponseContext(this)));
        }
        String reasoning = ChatRequests.textOrNull(delta.get("reasoning_content"));
        if (reasoning != null && !reasoning.isEmpty()) {
            thinking.append(reasoning);
            call(() -> handler.onPartialThinking(new PartialThinking(reasoning), new PartialThinkingContext(this)));
        }
        for (JsonNode call : delta.path("tool_calls")) {
            toolCallPiece(call);
        }
        String reason = ChatRequests.textOrNull(choice.get("finish_reason"));
        if (reason != null) {
            finishReason = reason;
        }
    }

    private void toolCallPiece(JsonNode call) {
        int index = call.path("index").asInt(toolCalls.index());
        if (toolCallStarted && index != toolCalls.index()) {
            completeToolCall();
        }
        toolCallStarted = true;
        toolCalls.updateIndex(index);
        String id = toolCalls.updateId(ChatRequests.textOrNull(call.get("id")));
        JsonNode fn = call.path("function");
        String name = toolCalls.updateName(ChatRequests.textOrNull(fn.get("name")));
        String args = ChatRequests.textOrNull(fn.get("arguments"));
        if (args != null) {
            toolCalls.appendArguments(args);
        }
        PartialToolCall piece = PartialToolCall.builder().index(index).id(id).name(name)
                .partialArguments(args == null ? "" : args).build();
        call(() -> handler.onPartialToolCall(piece, new PartialToolCallContext(this)));
    }

    private void completeToolCall() {
        if (!toolCallStarted) {
            return;
        }
        toolCallStarted = false;
        CompleteToolCall complete = toolCalls.buildAndReset();
        call(() -> handler.onCompleteToolCall(complete));
    }

    @Override
    public void onComplete() {
        if (cancelled || finished.get()) {
            return;
        }
        completeToolCall();
        AiMessage.Builder ai = AiMessage.builder()
                .text(text.length() == 0 && !toolCalls.allRequests().isEmpty() ? null : text.toString())
                .thinking(thinking.length() == 0 ? null : thinking.toString());
        if (!toolCalls.allRequests().isEmpty()) {
            ai.toolExecutionRequests(toolCalls.allRequests());
        }
        JsonNode meta = last != null ? last : mapper.createObjectNode();
        ChatResponse response = ChatResponse.builder().aiMessage(ai.build())
                .metadata(ChatRequests.metadata(meta, finishReason, ChatRequests.usage(usage))).build();
        if (finished.compareAndSet(false, true)) {
            LlamaServerClient.Stream s = stream;
            if (s != null) {
                Usage used = last == null ? null : Usage.of(last);
                if (used != null) {
                    s.exchange().usage(used.finishedFor(finishReason));
                }
                if (captureContent) {
                    AiMessage answer = response.aiMessage();
                    s.exchange().answer(answer.hasToolExecutionRequests()
                            ? String.valueOf(answer.toolExecutionRequests())
                            : answer.text());
                }
            }
            call(() -> handler.onCompleteResponse(response));
        }
    }

    @Override
    public void onError(UpstreamException error) {
        error(error);
    }

    private void error(Throwable error) {
        if (!cancelled && finished.compareAndSet(false, true)) {
            LlamaServerClient.Stream s = stream;
            if (s != null) {
                s.cancel(); // stop generating what nobody will read
            }
            call(() -> handler.onError(Errors.map(error)));
        }
    }

    /** Runs a handler callback; its exception is the handler's bug and must not end the stream. */
    private void call(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.warnf(e, "A StreamingChatResponseHandler threw; the stream goes on");
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
