package io.quarkiverse.rocm.runtime.langchain4j;

import java.util.Objects;

import dev.langchain4j.model.chat.response.ChatResponseMetadata;

/** Response metadata with llama-server's own {@code timings} of the request. */
public class RocmChatResponseMetadata extends ChatResponseMetadata {

    /**
     * llama-server's timings: prompt tokens evaluated (not taken from the cache), cached tokens, generated tokens,
     * and how long each part took.
     */
    public record Timings(int promptTokens, double promptMillis, int cachedTokens, int predictedTokens,
            double predictedMillis, int draftTokens, int draftTokensAccepted) {

        public Timings(int promptTokens, double promptMillis, int cachedTokens, int predictedTokens,
                double predictedMillis) {
            this(promptTokens, promptMillis, cachedTokens, predictedTokens, predictedMillis, 0, 0);
        }

        /** With speculative decoding: the share of drafted tokens the model accepted, or -1 when none was drafted. */
        public double draftAcceptance() {
            return draftTokens > 0 ? (double) draftTokensAccepted / draftTokens : -1;
        }

        /** Prompt evaluation speed, tokens per second. */
        public double promptTokensPerSecond() {
            return promptMillis > 0 ? promptTokens * 1000.0 / promptMillis : 0;
        }

        /** Generation speed, tokens per second. */
        public double predictedTokensPerSecond() {
            return predictedMillis > 0 ? predictedTokens * 1000.0 / predictedMillis : 0;
        }
    }

    private final Timings timings;

    protected RocmChatResponseMetadata(Builder builder) {
        super(builder);
        this.timings = builder.timings;
    }

    /** The server's timings, or null when it sent none. */
    public Timings timings() {
        return timings;
    }

    @Override
    public Builder toBuilder() {
        Builder b = builder().timings(timings);
        toBuilder(b);
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RocmChatResponseMetadata that && super.equals(o) && Objects.equals(timings, that.timings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), timings);
    }

    @Override
    public String toString() {
        return "RocmChatResponseMetadata{id=" + id() + ", modelName=" + modelName() + ", tokenUsage=" + tokenUsage()
                + ", finishReason=" + finishReason() + ", timings=" + timings + "}";
    }

    public static Builder builder() {
        return new Builder();
    }

    public static class Builder extends ChatResponseMetadata.Builder<Builder> {
        private Timings timings;

        public Builder timings(Timings timings) {
            this.timings = timings;
            return this;
        }

        @Override
        public RocmChatResponseMetadata build() {
            return new RocmChatResponseMetadata(this);
        }
    }
}
