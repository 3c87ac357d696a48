package org.acme;

// tag::chat-model[]
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkiverse.rocm.runtime.langchain4j.RocmChatModel;

@ApplicationScoped
public class Summaries {

    @Inject
    RocmChatModel model; // LangChain4j's ChatModel and StreamingChatModel, on the application's own llama-server

    public String summarize(String text) {
        return model.chat("Summarize in one line: " + text);
    }
}
// end::chat-model[]
