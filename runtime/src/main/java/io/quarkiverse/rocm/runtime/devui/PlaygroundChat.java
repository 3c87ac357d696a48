package io.quarkiverse.rocm.runtime.devui;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import io.quarkiverse.rocm.runtime.langchain4j.RocmChatModel;
import io.quarkiverse.rocm.runtime.langchain4j.RocmChatResponseMetadata;
import io.smallrye.mutiny.subscription.MultiEmitter;

/** One streamed answer of the Dev UI's chat: the model's callbacks to events, with the timing of the answer. */
final class PlaygroundChat implements StreamingChatResponseHandler {

    private final MultiEmitter<? super ChatEvent> emitter;
    private final long startNanos = System.nanoTime();
    private volatile long firstTokenNanos;
    private volatile StreamingHandle handle;

    PlaygroundChat(MultiEmitter<? super ChatEvent> emitter) {
        this.emitter = emitter;
    }

    void start(RocmChatModel model, ChatRequest request) {
        emitter.onTermination(() -> {
            StreamingHandle h = handle;
            if (h != null && !h.isCancelled()) {
                h.cancel(); // the page went away or a new question was asked: llama-server stops generating
            }
        });
        model.chat(request, this);
    }

    @Override
    public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
        handle = context.streamingHandle();
        if (firstTokenNanos == 0) {
            firstTokenNanos = System.nanoTime();
        }
        emitter.emit(ChatEvent.token(partial.text()));
    }

    @Override
    public void onCompleteResponse(ChatResponse response) {
        long end = System.nanoTime();
        long first = firstTokenNanos == 0 ? end : firstTokenNanos;
        Integer tokens = response.tokenUsage() == null ? null : response.tokenUsage().outputTokenCount();
        Double perSecond = tokens != null && tokens > 1 && end > first ? (tokens - 1) * 1e9 / (end - first) : null;
        RocmChatResponseMetadata.Timings timings = response.metadata() instanceof RocmChatResponseMetadata m
                ? m.timings()
                : null;
        Double server = timings != null ? timings.predictedTokensPerSecond() : null;
        Double accepted = timings != null && timings.draftAcceptance() >= 0 ? timings.draftAcceptance() : null;
        emitter.emit(new ChatEvent("done", null, (first - startNanos) / 1e6, tokens, perSecond, server,
                response.finishReason() == null ? null : response.finishReason().name(), accepted));
        emitter.complete();
    }

    @Override
    public void onError(Throwable error) {
        emitter.emit(ChatEvent.error(error.getMessage()));
        emitter.complete();
    }
}
