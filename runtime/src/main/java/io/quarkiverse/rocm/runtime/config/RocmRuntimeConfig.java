package io.quarkiverse.rocm.runtime.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import io.quarkus.runtime.annotations.ConfigDocMapKey;
import io.quarkus.runtime.annotations.ConfigDocSection;
import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithDefaults;
import io.smallrye.config.WithParentName;
import io.smallrye.config.WithUnnamedKey;

/**
 * The llama-server processes this application runs: one per configured model.
 */
@ConfigMapping(prefix = "quarkus.rocm")
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
public interface RocmRuntimeConfig {

    /** The name of the model configured directly under {@code quarkus.rocm.}. */
    String DEFAULT_MODEL = "<default>";

    /**
     * Path of the {@code llama-server} binary (a ROCm/HIP, CUDA, Vulkan or CPU build).
     * <p>
     * When unset it is looked up in this order: the {@code LLAMA_SERVER_BIN} environment variable, {@code llama-server}
     * on {@code PATH}, then the private installation made by the project's installer under
     * {@code quarkus.rocm.install-dir}. In dev and test mode a missing binary is installed automatically.
     */
    Optional<Path> binary();

    /**
     * Where the project's installer ({@code install-llama-server.sh}) keeps its private llama.cpp installations.
     */
    @WithDefault("${XDG_CACHE_HOME:${user.home}/.cache}/quarkus-rocm/llama.cpp")
    Path installDir();

    /**
     * When llama-server starts.
     * {@code eager}: with the application, whose start waits until every model is ready (a broken model fails the
     * start). {@code background}: with the application, without waiting (the startup health check tells when it is
     * loaded; requests wait for it). {@code lazy}: on the first request.
     */
    @WithDefault("eager")
    StartMode start();

    /**
     * The most llama-servers loaded at once. A load beyond it first unloads idle models, least recently used first;
     * a model serving a request is never unloaded: the load waits for it to finish. Default: no limit.
     */
    OptionalInt maxLoaded();

    /**
     * The memory the loaded models may need together, planned from each GGUF (weights, KV cache for its context and
     * slots, headroom) and corrected by what a model really used the last time it was loaded. {@code auto}: the
     * selected GPU's VRAM minus {@code quarkus.rocm.gpu.headroom}, or the machine's available memory for CPU servers;
     * a size ({@code 20G}); or {@code off}. A load that does not fit unloads idle models as {@code max-loaded} does.
     */
    @WithDefault("off")
    String memoryBudget();

    /**
     * How many more requests a loaded model takes after another model started waiting for its room: alternating
     * traffic is served in batches instead of swapping on every request.
     */
    @WithDefault("8")
    int swapFairness();

    /**
     * Stop a load (a download, or llama-server loading the model) when every request that waited for it has given
     * up. By default a load that has started finishes, and the loaded model then follows its keep-alive: a client
     * with a short timeout still gets a large model loaded for its next try.
     */
    @WithDefault("false")
    boolean cancelAbandonedLoads();

    /**
     * A folder of GGUF files: each becomes a model named after its file (a sub-folder with the parts of a split
     * model, after the folder), loaded on its first request, served by the OpenAI API and listed by its
     * {@code models} endpoint. Each can still be tuned with {@code quarkus.rocm."name".*}.
     */
    Optional<Path> modelsDir();

    /**
     * Let each local llama-server listen on a Unix domain socket in a folder only this application's user may enter,
     * instead of a loopback port: no port to take, no TCP stack per token, and no other local user can connect. Used
     * when the application's Vert.x runs on a native transport (Linux epoll, which this extension brings and prefers:
     * {@code quarkus.vertx.prefer-native-transport}); otherwise, and for a model with a {@code port}, a loopback port.
     */
    @WithDefault("true")
    boolean unixSocket();

    /**
     * How long a starting llama-server may go without making progress (a new log line) before it is stopped and the
     * start fails. It resets with every line, so a large model may load for longer as long as it keeps logging.
     */
    @WithDefault("2m")
    Duration startupTimeout();

    /**
     * How long llama-server gets to exit after SIGTERM before it is killed with SIGKILL.
     */
    @WithDefault("10s")
    Duration stopTimeout();

    /**
     * Whether the content of the requests to the models and of their answers is recorded where their exchanges are
     * observed: in the traces ({@code gen_ai.input.messages}, the request's JSON, and {@code gen_ai.output.messages},
     * the answer as llama-server sent it, with quarkus-opentelemetry) and on the Dev UI's Exchanges page. Off by
     * default: prompts and answers are a user's data. Metrics never carry them.
     */
    @WithDefault("false")
    boolean captureContent();

    /**
     * What happens when llama-server exits unexpectedly.
     */
    @ConfigDocSection
    RestartConfig restart();

    /**
     * The periodic canary request behind the liveness check.
     */
    @ConfigDocSection
    CanaryConfig canary();

    /**
     * Metrics.
     */
    @ConfigDocSection
    MetricsConfig metrics();

    /**
     * The OpenAI-compatible API.
     */
    @ConfigDocSection
    OpenAiConfig openai();

    /**
     * Ollama's API ({@code quarkus.rocm.ollama.enabled=true} at build time).
     */
    @ConfigDocSection
    OllamaConfig ollama();

    /**
     * Prompt caches saved while their models are not loaded ({@code kv-cache.hibernate}).
     */
    @ConfigDocSection
    HibernationConfig hibernation();

    /**
     * The Hugging Face hub and the cache of models named by {@code model.hf-repo}.
     */
    @ConfigDocSection
    HubConfig hf();

    /**
     * GPU selection and the memory preflight.
     */
    @ConfigDocSection
    GpuConfig gpu();

    /**
     * The models. The default model is configured directly under {@code quarkus.rocm.}, named ones under
     * {@code quarkus.rocm."model-name".}; each gets its own llama-server.
     */
    @ConfigDocSection
    @ConfigDocMapKey("model-name")
    @WithParentName
    @WithDefaults
    @WithUnnamedKey(DEFAULT_MODEL)
    Map<String, ModelConfig> models();

    /** When llama-server starts. */
    enum StartMode {
        /** With the application, which waits until the model is ready. */
        EAGER,
        /** With the application, without waiting. */
        BACKGROUND,
        /** On first use. */
        LAZY
    }
}
