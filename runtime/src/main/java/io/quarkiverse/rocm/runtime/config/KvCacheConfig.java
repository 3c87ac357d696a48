package io.quarkiverse.rocm.runtime.config;

import io.smallrye.config.WithDefault;

/** A model's prompt cache (its slots' KV cache). */
public interface KvCacheConfig {

    /**
     * Save the prompt caches of the model's slots before its llama-server is stopped on purpose (an idle unload, an
     * eviction, an operator's unload, the application's stop) and restore them when it starts again, before it serves
     * its first request, so that a conversation's next turn finds its prefix cached instead of evaluating the whole
     * prompt again. Files go to {@code quarkus.rocm.hibernation.dir}; they are restored only into the same model
     * started the same way (its file, flags, context, slots, adapters, projector and the llama.cpp build). A crash
     * restores what was saved at the last planned stop.
     */
    @WithDefault("false")
    boolean hibernate();

    /**
     * With {@code hibernate}: keep each conversation's prompt cache when its slot is given to another. Requests go to
     * their conversation's slot; a new conversation takes a free slot or the least recently used idle one, whose
     * conversation is saved first and restored into a slot when it returns, so more conversations than
     * {@code parallel} slots each find their prefix cached. A conversation is the one the caller names (the
     * {@code X-Conversation-Id} header, the OpenAI {@code user} field, Anthropic's {@code metadata.user_id},
     * {@code RocmChatRequestParameters.conversation}), else its first two messages (its system prompt and first
     * question). A stop saves each slot as its conversation's.
     */
    @WithDefault("false")
    boolean perConversation();
}
