package io.quarkiverse.rocm.runtime.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import io.smallrye.config.WithDefault;

/** Defaults of the chat requests; a request's own parameters override them. */
public interface ChatModelConfig {

    /** Sampling temperature. Default: llama-server's (0.8). */
    Optional<Double> temperature();

    /** Nucleus sampling: keep the smallest set of tokens whose probability adds up to this. */
    Optional<Double> topP();

    /** Keep only the k most likely tokens. */
    OptionalInt topK();

    /** Drop tokens less likely than this fraction of the most likely one (llama.cpp's default 0.05). */
    Optional<Double> minP();

    /** Penalty for repeated tokens (1.0: none). */
    Optional<Double> repeatPenalty();

    /** Sampling seed, for repeatable answers. */
    OptionalLong seed();

    /** The most tokens an answer may have. Default: until the model stops or the context is full. */
    OptionalInt maxTokens();

    /** Strings that end the answer when generated. */
    Optional<List<String>> stop();

    /**
     * Reuse the KV cache of the common prompt prefix between requests ({@code cache_prompt}).
     */
    @WithDefault("true")
    boolean cachePrompt();

    /**
     * How long one request may take, waiting for a server that is still loading included.
     */
    @WithDefault("5m")
    Duration timeout();

    /** Log each request body sent to llama-server (category {@code io.quarkiverse.rocm}, level INFO). */
    @WithDefault("false")
    boolean logRequests();

    /** Log each response received from llama-server. */
    @WithDefault("false")
    boolean logResponses();
}
