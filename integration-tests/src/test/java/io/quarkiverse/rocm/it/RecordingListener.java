package io.quarkiverse.rocm.it;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Singleton;

import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;

/** Records what every chat model call tells its listeners. */
// a singleton, not a client proxy: the tests read its fields
@Singleton
public class RecordingListener implements ChatModelListener {

    final List<ChatModelRequestContext> requests = new CopyOnWriteArrayList<>();
    final List<ChatModelResponseContext> responses = new CopyOnWriteArrayList<>();
    final List<ChatModelErrorContext> errors = new CopyOnWriteArrayList<>();

    @Override
    public void onRequest(ChatModelRequestContext context) {
        requests.add(context);
    }

    @Override
    public void onResponse(ChatModelResponseContext context) {
        responses.add(context);
    }

    @Override
    public void onError(ChatModelErrorContext context) {
        errors.add(context);
    }

    void clear() {
        requests.clear();
        responses.clear();
        errors.clear();
    }
}
