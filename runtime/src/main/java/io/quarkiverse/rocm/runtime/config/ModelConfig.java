package io.quarkiverse.rocm.runtime.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import io.quarkus.runtime.annotations.ConfigDocMapKey;
import io.quarkus.runtime.annotations.ConfigDocSection;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** One model and the llama-server that serves it. */
public interface ModelConfig {

    /**
     * The GGUF file.
     */
    @ConfigDocSection
    ModelFileConfig model();

    /**
     * Context size per request, in tokens. Default: the model's trained context, capped at 4096 (models trained
     * for 128K would otherwise exhaust memory).
     */
    OptionalInt contextSize();

    /**
     * Parallel slots: how many requests llama-server decodes at once. With more than one slot, llama-server is given
     * {@code -c context-size * parallel} so that every slot still holds {@code context-size} tokens (its {@code -np}
     * divides {@code -c} between slots), unless {@code kv-unified} is set.
     */
    @WithDefault("1")
    int parallel();

    /**
     * Share one KV cache of {@code context-size} tokens between all slots ({@code --kv-unified}) instead of giving
     * each slot its own: less memory, but long concurrent requests compete for it.
     */
    @WithDefault("false")
    boolean kvUnified();

    /**
     * CPU threads for generation ({@code -t}). Default: llama-server's choice.
     */
    OptionalInt threads();

    /**
     * Layers to offload to the GPU ({@code -ngl}): a number, {@code auto} or {@code all}. Default: llama-server's
     * automatic fitting to the free device memory.
     */
    Optional<String> gpuLayers();

    /**
     * Flash attention ({@code -fa}): {@code on}, {@code off} or {@code auto}. Default: llama-server's.
     */
    Optional<String> flashAttention();

    /**
     * Serve {@code /v1/embeddings} from this model ({@code --embeddings}).
     */
    @WithDefault("false")
    boolean embeddings();

    /**
     * How an embedding server pools token vectors into one ({@code --pooling}): {@code none}, {@code mean},
     * {@code cls}, {@code last} or {@code rank}. Default: the model's.
     */
    Optional<String> pooling();

    /**
     * How long the model's llama-server stays loaded after its last request ended; then it is stopped, and the next
     * request loads it again. {@code 0s}: stop as soon as it is idle. Default: forever.
     */
    Optional<Duration> keepAlive();

    /**
     * Never unload this model by policy: no keep-alive, and never evicted to make room for another.
     */
    @WithDefault("false")
    boolean pinned();

    /**
     * The loopback port llama-server listens on. Default {@code 0}: a free port chosen by the kernel, so two
     * applications never collide.
     */
    @WithDefault("0")
    int port();

    /**
     * The most requests (chat model and OpenAI API together) sent to this llama-server at once. Default: twice its
     * {@code parallel} slots: each slot has one request waiting inside llama-server, which starts it the moment the slot
     * frees up (no round trip between two answers), and every further request waits in this application's bounded
     * queue, where it is counted and can be refused.
     */
    OptionalInt maxInFlight();

    /**
     * The most requests waiting for a place; beyond it a request is refused at once (HTTP 429 with
     * {@code Retry-After} in the OpenAI API, {@code RateLimitException} in the chat model) instead of piling up.
     */
    @WithDefault("100")
    int maxQueue();

    /**
     * More llama-server arguments, added after the ones this extension builds (for example
     * {@code --cache-type-k=q8_0,--mlock}).
     */
    Optional<List<String>> args();

    /**
     * More environment variables for llama-server.
     */
    @ConfigDocMapKey("variable")
    Map<String, String> env();

    /**
     * Defaults of the chat requests sent to this model.
     */
    @ConfigDocSection
    @WithName("chat-model")
    ChatModelConfig chatModel();
}
