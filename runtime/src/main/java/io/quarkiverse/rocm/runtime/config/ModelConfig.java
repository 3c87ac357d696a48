package io.quarkiverse.rocm.runtime.config;

import java.nio.file.Path;
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
     * When the model named by {@code model.hf-repo} is downloaded: {@code when-missing} (when the cache does not hold
     * it), {@code always} (at each start the hub is asked for the revision's commit, and a new one is downloaded; a
     * cached copy is used when the hub cannot be reached) or {@code never} (only the cache; a missing model is a start
     * error). A pull happens in every start mode, before the model's first load. The default model's value
     * ({@code quarkus.rocm.pull}) is every model's default.
     */
    Optional<PullPolicy> pull();

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
     * Speculative decoding with a draft model ({@code draft.model.path}).
     */
    @ConfigDocSection
    DraftConfig draft();

    /**
     * The speculative decoding method ({@code --spec-type}): {@code draft-simple} (the default with
     * {@code draft.model.path}), or one that needs no draft model and proposes tokens from what the conversation
     * already holds: {@code ngram-simple}, {@code ngram-map-k}, {@code ngram-map-k4v}, {@code ngram-mod},
     * {@code ngram-cache} (the methods the installed llama-server lists in its {@code --help}). The answers are the
     * same as without; only their speed changes. Default: none.
     */
    Optional<String> speculative();

    /**
     * The model's multimodal projector ({@code --mmproj}): the GGUF that turns images into the model's tokens, made
     * for this model (its repository's {@code mmproj-*.gguf}). Default: found with the model, by this rule: beside a
     * model file {@code NAME.gguf} the file {@code mmproj-NAME.gguf}; in a sub-folder of {@code models-dir}, its one
     * {@code mmproj*.gguf}; for {@code model.hf-repo}, the repository's projector (pulled with the model).
     */
    Optional<Path> mmproj();

    /** Run the projector on the GPU ({@code --mmproj-offload}); {@code false} keeps it on the CPU. */
    @WithDefault("true")
    boolean mmprojOffload();

    /**
     * The fewest tokens one image may take ({@code --image-min-tokens}), for vision models with dynamic resolution.
     * Default: the projector's.
     */
    OptionalInt imageMinTokens();

    /**
     * The most tokens one image may take ({@code --image-max-tokens}), for vision models with dynamic resolution.
     * Default: the projector's.
     */
    OptionalInt imageMaxTokens();

    /**
     * A folder whose images requests may name with {@code file://} URLs, relative to it ({@code --media-path}).
     * Unset: no {@code file://} image is read (a caller of the API must never name a path of this machine).
     */
    Optional<Path> mediaPath();

    /**
     * LoRA adapters of this model, by name: each is a model of its own in the API ({@code model}), for
     * {@code @ModelName} and in {@code GET /v1/models} (with {@code parent} naming this model), served by this model's
     * llama-server with the adapter applied to its requests only. Their names must differ from every model's.
     */
    @ConfigDocMapKey("adapter")
    Map<String, LoraConfig> lora();

    /**
     * Serve {@code /v1/rerank} from this model ({@code --reranking}): a reranker scores documents against a query (a
     * {@code ScoringModel}, the {@code rocm} scoring-model provider of quarkus-langchain4j). It serves nothing else.
     */
    @WithDefault("false")
    boolean reranking();

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

    /** The prompt cache of its slots. */
    KvCacheConfig kvCache();

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
     * The most requests of one caller (an API key, an authenticated principal, the application's own chat model) at
     * this llama-server at once; its further requests wait their turn. Unset: no per-caller limit. Waiting requests
     * are taken from the callers in turn either way, so one caller's backlog does not starve another's request.
     */
    OptionalInt callerMaxInFlight();

    /**
     * The most requests of one caller waiting for a place; beyond it that caller's requests are refused at once (429
     * with {@code Retry-After}, naming this property). Unset: only {@code max-queue} bounds them.
     */
    OptionalInt callerMaxQueue();

    /**
     * llama.cpp RPC workers that hold part of this model, for a model larger than one machine: the
     * {@code host:port} of an {@code rpc-server} on each (llama-server's {@code --rpc}). llama.cpp splits the weights
     * and KV cache between this host's devices and the workers' in proportion to their free memory. Every start waits
     * for all of them to accept connections (up to {@code quarkus.rocm.startup-timeout}), and readiness is DOWN while
     * llama-server has lost its connection to one. RPC has no authentication and no encryption: workers belong on a
     * private network only.
     */
    Optional<List<String>> rpcWorkers();

    /**
     * llama-servers this application does not start, serving this model: {@code http://gpu-a:8080,http://gpu-b:8080}
     * (Kubernetes pods behind their Services, or plain hosts). The model is then a pool of these replicas: each is
     * probed every {@code quarkus.rocm.canary.interval} with {@code GET /slots}, taken out of rotation at once when
     * it fails a probe or a connection, probed again with the restart backoff and brought back when it answers.
     * Requests go to the replica the {@code balance} strategy picks. The properties of a local server (model file,
     * context, GPU) do not apply: the replicas are configured where they run.
     */
    Optional<List<String>> urls();

    /**
     * The API key the {@code urls} replicas require ({@code Authorization: Bearer}, llama-server's
     * {@code --api-key}).
     */
    Optional<String> apiKey();

    /**
     * How requests are spread over the {@code urls} replicas. {@code prefix-affinity}: a conversation that starts as
     * an earlier one did (system prompt, tools, earlier turns) goes to the replica that served it, whose prompt cache
     * holds that prefix, unless that replica has more than {@code affinity-slack} requests in flight above the least
     * busy one; others go to the least busy. {@code least-loaded}: the replica with the fewest requests in flight
     * (this application's and, from {@code /slots}, everyone's). {@code round-robin}: in turn.
     */
    @WithDefault("prefix-affinity")
    Balance balance();

    /**
     * How many more requests in flight than the least busy replica the replica holding a conversation's prefix may
     * have and still get it ({@code balance=prefix-affinity}).
     */
    @WithDefault("2")
    int affinitySlack();

    /** How requests are spread over remote replicas. */
    enum Balance {
        PREFIX_AFFINITY,
        LEAST_LOADED,
        ROUND_ROBIN
    }

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
