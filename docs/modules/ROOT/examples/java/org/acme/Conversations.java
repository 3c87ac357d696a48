package org.acme;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.memory.chat.TokenWindowChatMemory;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.quarkiverse.rocm.runtime.langchain4j.RocmChatModel;
import io.quarkiverse.rocm.runtime.langchain4j.RocmChatRequestParameters;

@ApplicationScoped
public class Conversations {

    @Inject
    RocmChatModel model;

    // tag::memory[]
    public ChatMemory memory() {
        return TokenWindowChatMemory.withMaxTokens(4000, model); // counted by the model's own tokenizer and template
    }
    // end::memory[]

    // tag::tokens[]
    public int tokens(String text) {
        return model.estimateTokenCountInText(text);
    }
    // end::tokens[]

    // tag::parameters[]
    public ChatResponse precise(String question) {
        return model.chat(ChatRequest.builder().messages(UserMessage.from(question))
                .parameters(RocmChatRequestParameters.builder()
                        .temperature(0.0)
                        .seed(42L)
                        .maxOutputTokens(256)
                        .minP(0.05) // llama.cpp's own samplers and options, beside LangChain4j's
                        .conversation("user-42") // keeps this conversation's prompt cache (kv-cache.per-conversation)
                        .build())
                .build());
    }
    // end::parameters[]

    public ChatResponse withAdapter(String question) {
        // tag::adapters[]
        return model.chat(ChatRequest.builder().messages(UserMessage.from(question))
                .parameters(RocmChatRequestParameters.builder().adapters(Map.of("sql", 1.0)).build()).build());
        // end::adapters[]
    }
}
