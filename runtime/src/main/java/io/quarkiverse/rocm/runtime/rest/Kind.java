package io.quarkiverse.rocm.runtime.rest;

/**
 * The API's relayed POST endpoints: where each is below the API's root, where llama-server has it, in which API's
 * dialect its errors are written, which models it is for, and how its stream ends.
 */
public enum Kind {
    CHAT("chat/completions", "/v1/chat/completions", Dialect.OPENAI, Fit.Family.GENERATION, "data: [DONE]"),
    COMPLETION("completions", "/v1/completions", Dialect.OPENAI, Fit.Family.GENERATION, "data: [DONE]"),
    EMBEDDINGS("embeddings", "/v1/embeddings", Dialect.OPENAI, Fit.Family.EMBEDDINGS, null),
    /** llama-server's (Jina's) rerank: {@code query}, {@code documents}, {@code top_n}. */
    RERANK("rerank", "/v1/rerank", Dialect.OPENAI, Fit.Family.RERANK, null),
    /** OpenAI's Responses API (Codex, the Agents SDK). */
    RESPONSES("responses", "/v1/responses", Dialect.OPENAI, Fit.Family.GENERATION, "event: response.completed"),
    /** Anthropic's Messages API (Claude Code, Anthropic's SDKs). */
    MESSAGES("messages", "/v1/messages", Dialect.ANTHROPIC, Fit.Family.GENERATION, "event: message_stop"),
    MESSAGES_COUNT_TOKENS("messages/count_tokens", "/v1/messages/count_tokens", Dialect.ANTHROPIC,
            Fit.Family.GENERATION, null),
    /** llama-server's own: text to the model's tokens ({@code content}), for any model. */
    TOKENIZE("tokenize", "/tokenize", Dialect.OPENAI, Fit.Family.ANY, null),
    DETOKENIZE("detokenize", "/detokenize", Dialect.OPENAI, Fit.Family.ANY, null),
    /** llama-server's own fill-in-the-middle ({@code input_prefix}, {@code input_suffix}) for code models. */
    INFILL("infill", "/infill", Dialect.OPENAI, Fit.Family.GENERATION, "data: [DONE]");

    private final String path;
    private final String upstreamPath;
    private final Dialect dialect;
    private final Fit.Family family;
    private final String streamEnd;

    Kind(String path, String upstreamPath, Dialect dialect, Fit.Family family, String streamEnd) {
        this.path = path;
        this.upstreamPath = upstreamPath;
        this.dialect = dialect;
        this.family = family;
        this.streamEnd = streamEnd;
    }

    /** Below the API's root: {@code chat/completions}. */
    public String path() {
        return path;
    }

    /** llama-server's endpoint: {@code /v1/chat/completions}. */
    public String upstreamPath() {
        return upstreamPath;
    }

    /** Whether it is also served at the HTTP root, where llama-server has it ({@code /tokenize}). */
    public boolean atRoot() {
        return !upstreamPath.startsWith("/v1/");
    }

    Dialect dialect() {
        return dialect;
    }

    Fit.Family family() {
        return family;
    }

    /** What a complete stream of this endpoint holds last (its final event), or null when it is not streamed. */
    String streamEnd() {
        return streamEnd;
    }
}
