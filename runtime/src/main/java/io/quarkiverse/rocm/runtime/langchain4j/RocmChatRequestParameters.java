package io.quarkiverse.rocm.runtime.langchain4j;

import java.util.Map;
import java.util.Objects;

import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;

/**
 * Chat parameters with the llama.cpp sampling and server options that the common {@link ChatRequestParameters}
 * lack. Unset values are left to the model's configured defaults, then to llama-server's.
 */
public class RocmChatRequestParameters extends DefaultChatRequestParameters {

    private final Double minP;
    private final Double repeatPenalty;
    private final Integer repeatLastN;
    private final Long seed;
    private final Integer slotId;
    private final Boolean cachePrompt;
    private final String grammar;
    private final Boolean ignoreEos;
    private final String reasoningFormat;
    private final Map<String, Object> chatTemplateKwargs;
    private final Map<String, Double> adapters;
    private final String conversation;

    protected RocmChatRequestParameters(Builder builder) {
        super(builder);
        this.minP = builder.minP;
        this.repeatPenalty = builder.repeatPenalty;
        this.repeatLastN = builder.repeatLastN;
        this.seed = builder.seed;
        this.slotId = builder.slotId;
        this.cachePrompt = builder.cachePrompt;
        this.grammar = builder.grammar;
        this.ignoreEos = builder.ignoreEos;
        this.reasoningFormat = builder.reasoningFormat;
        this.chatTemplateKwargs = builder.chatTemplateKwargs == null ? null : Map.copyOf(builder.chatTemplateKwargs);
        this.adapters = builder.adapters == null ? null : Map.copyOf(builder.adapters);
        this.conversation = builder.conversation;
    }

    /**
     * The conversation this request continues (a chat memory's id): with {@code kv-cache.per-conversation} it is sent
     * to that conversation's slot, whose prompt cache is kept when the slot is given to another.
     */
    public String conversation() {
        return conversation;
    }

    /** Drop tokens less likely than this fraction of the most likely one. */
    public Double minP() {
        return minP;
    }

    /** Penalty for repeating tokens of the last {@link #repeatLastN()}. */
    public Double repeatPenalty() {
        return repeatPenalty;
    }

    public Integer repeatLastN() {
        return repeatLastN;
    }

    /** Sampling seed. */
    public Long seed() {
        return seed;
    }

    /** The slot to run in ({@code id_slot}): one conversation per slot keeps its prompt cached. */
    public Integer slotId() {
        return slotId;
    }

    /** Reuse the KV cache of a common prompt prefix ({@code cache_prompt}). */
    public Boolean cachePrompt() {
        return cachePrompt;
    }

    /** A GBNF grammar the answer must follow. */
    public String grammar() {
        return grammar;
    }

    /** Keep generating past the end-of-turn token (up to the token limit). */
    public Boolean ignoreEos() {
        return ignoreEos;
    }

    /** How reasoning is returned: {@code auto}, {@code deepseek}, {@code none}. */
    public String reasoningFormat() {
        return reasoningFormat;
    }

    /** Extra variables for the chat template (for example {@code enable_thinking}). */
    public Map<String, Object> chatTemplateKwargs() {
        return chatTemplateKwargs;
    }

    /**
     * The model's LoRA adapters to apply, by name, with their scales (llama-server's {@code lora}); the others are
     * not applied. Unset: the adapter the model name chooses, if any.
     */
    public Map<String, Double> adapters() {
        return adapters;
    }

    @Override
    public ChatRequestParameters overrideWith(ChatRequestParameters that) {
        return builder().overrideWith(this).overrideWith(that).build();
    }

    @Override
    public ChatRequestParameters defaultedBy(ChatRequestParameters that) {
        return builder().overrideWith(that).overrideWith(this).build();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RocmChatRequestParameters that) || !super.equals(o)) {
            return false;
        }
        return Objects.equals(minP, that.minP) && Objects.equals(repeatPenalty, that.repeatPenalty)
                && Objects.equals(repeatLastN, that.repeatLastN) && Objects.equals(seed, that.seed)
                && Objects.equals(slotId, that.slotId) && Objects.equals(cachePrompt, that.cachePrompt)
                && Objects.equals(grammar, that.grammar) && Objects.equals(ignoreEos, that.ignoreEos)
                && Objects.equals(reasoningFormat, that.reasoningFormat)
                && Objects.equals(chatTemplateKwargs, that.chatTemplateKwargs)
                && Objects.equals(adapters, that.adapters) && Objects.equals(conversation, that.conversation);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), minP, repeatPenalty, repeatLastN, seed, slotId, cachePrompt, grammar,
                ignoreEos, reasoningFormat, chatTemplateKwargs, adapters, conversation);
    }

    @Override
    public String toString() {
        return "RocmChatRequestParameters{" + super.toString() + ", minP=" + minP + ", repeatPenalty=" + repeatPenalty
                + ", repeatLastN=" + repeatLastN + ", seed=" + seed + ", slotId=" + slotId + ", cachePrompt="
                + cachePrompt + ", grammar=" + (grammar == null ? null : "(" + grammar.length() + " chars)")
                + ", ignoreEos=" + ignoreEos + ", reasoningFormat=" + reasoningFormat + ", chatTemplateKwargs="
                + chatTemplateKwargs + ", adapters=" + adapters + ", conversation=" + conversation + "}";
    }

    public static Builder builder() {
        return new Builder();
    }

    public static class Builder extends DefaultChatRequestParameters.Builder<Builder> {

        private Double minP;
        private Double repeatPenalty;
        private Integer repeatLastN;
        private Long seed;
        private Integer slotId;
        private Boolean cachePrompt;
        private String grammar;
        private Boolean ignoreEos;
        private String reasoningFormat;
        private Map<String, Object> chatTemplateKwargs;
        private Map<String, Double> adapters;
        private String conversation;

        @Override
        public Builder overrideWith(ChatRequestParameters parameters) {
            super.overrideWith(parameters);
            if (parameters instanceof RocmChatRequestParameters p) {
                minP = or(p.minP, minP);
                repeatPenalty = or(p.repeatPenalty, repeatPenalty);
                repeatLastN = or(p.repeatLastN, repeatLastN);
                seed = or(p.seed, seed);
                slotId = or(p.slotId, slotId);
                cachePrompt = or(p.cachePrompt, cachePrompt);
                grammar = or(p.grammar, grammar);
                ignoreEos = or(p.ignoreEos, ignoreEos);
                reasoningFormat = or(p.reasoningFormat, reasoningFormat);
                chatTemplateKwargs = or(p.chatTemplateKwargs, chatTemplateKwargs);
                adapters = or(p.adapters, adapters);
                conversation = or(p.conversation, conversation);
            }
            return this;
        }

        private static <T> T or(T value, T fallback) {
            return value != null ? value : fallback;
        }

        public Builder minP(Double minP) {
            this.minP = minP;
            return this;
        }

        public Builder repeatPenalty(Double repeatPenalty) {
            this.repeatPenalty = repeatPenalty;
            return this;
        }

        public Builder repeatLastN(Integer repeatLastN) {
            this.repeatLastN = repeatLastN;
            return this;
        }

        public Builder seed(Long seed) {
            this.seed = seed;
            return this;
        }

        public Builder slotId(Integer slotId) {
            this.slotId = slotId;
            return this;
        }

        public Builder cachePrompt(Boolean cachePrompt) {
            this.cachePrompt = cachePrompt;
            return this;
        }

        public Builder grammar(String grammar) {
            this.grammar = grammar;
            return this;
        }

        public Builder ignoreEos(Boolean ignoreEos) {
            this.ignoreEos = ignoreEos;
            return this;
        }

        public Builder reasoningFormat(String reasoningFormat) {
            this.reasoningFormat = reasoningFormat;
            return this;
        }

        public Builder chatTemplateKwargs(Map<String, Object> chatTemplateKwargs) {
            this.chatTemplateKwargs = chatTemplateKwargs;
            return this;
        }

        /** The conversation this request continues: a chat memory's id ({@code kv-cache.per-conversation}). */
        public Builder conversation(String conversation) {
            this.conversation = conversation;
            return this;
        }

        /** The LoRA adapters to apply, by name, with their scales: {@code Map.of("sql", 1.0)}. */
        public Builder adapters(Map<String, Double> adapters) {
            this.adapters = adapters;
            return this;
        }

        @Override
        public RocmChatRequestParameters build() {
            return new RocmChatRequestParameters(this);
        }
    }
}
