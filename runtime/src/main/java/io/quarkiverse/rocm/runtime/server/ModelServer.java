package io.quarkiverse.rocm.runtime.server;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.quarkiverse.rocm.runtime.gpu.GpuDevice;
import io.quarkiverse.rocm.runtime.process.OutputLog;
import io.quarkiverse.rocm.runtime.spec.ServerSpec;

/**
 * What the rest of the application sees of one model's server, whoever runs it: a llama-server this application
 * starts and supervises ({@code server.local.LocalServer}) or remote replicas it fronts ({@code server.pool.RemoteServer}).
 * Its state and the reason of every transition, readiness, what it can do, and where each request goes
 * ({@link #route}); callers never ask which kind they have.
 */
public interface ModelServer {

    /** The lifecycle states. */
    enum State {
        STOPPED,
        STARTING,
        READY,
        RESTARTING,
        FAILED,
        STOPPING
    }

    /** Observes state changes (health, metrics, logs). Called without locks held; must not block. */
    interface Listener {
        void onStateChange(ModelServer server, State from, State to, String reason);
    }

    ServerSpec spec();

    default String name() {
        return spec().name();
    }

    State state();

    /** Why the server is in its state (the last transition's reason). */
    String reason();

    void addListener(Listener listener);

    void removeListener(Listener listener);

    /**
     * Starts the server if it is stopped or failed; the future completes when it is ready, or fails with a
     * {@code LlamaServerException} saying why it could not start.
     */
    CompletableFuture<Endpoint> start();

    /** Stops the server and waits for it. */
    void stop();

    /** Stops the server and starts it again (an operator's action); completes when it is ready again. */
    CompletableFuture<Endpoint> restart(String why);

    /**
     * A future of the ready endpoint: completed at once when ready; waits while starting or restarting; starts a
     * stopped server when {@code startIfStopped}; fails at once when the server failed or is stopping.
     */
    CompletableFuture<Endpoint> awaitReady(boolean startIfStopped);

    /** Where the server listens while it is ready, or null. */
    Endpoint endpoint();

    /**
     * Where one request goes: {@code body} gives its JSON, read only by a pool (which routes a conversation where its
     * prefix is cached).
     */
    Route route(Supplier<byte[]> body);

    /** What the server said about itself ({@code GET /props}) when it became ready. */
    Optional<ServerProps> props();

    /**
     * Why this model cannot be asked to call tools (its chat template renders no tools, so llama-server would ignore
     * them), or empty when it can or it is not known yet.
     */
    default Optional<String> toolsProblem() {
        return props().filter(p -> !p.caps().canCallTools()).map(p -> "model '" + spec().alias() + "' cannot call"
                + " tools: its chat template does not support them (llama-server's /props: supports_tools="
                + p.caps().tools() + ", supports_tool_calls=" + p.caps().toolCalls() + "). Give it a template that does ("
                + spec().property("args") + "=--chat-template-file,/path/to/template.jinja) or use a model that can.");
    }

    /**
     * Why this model cannot read images (llama-server would answer 500: "image input is not supported"), or empty
     * when it can: it has a projector, or its replicas said in {@code /props} that they read images.
     */
    default Optional<String> visionProblem() {
        if (spec() instanceof io.quarkiverse.rocm.runtime.spec.RemoteSpec) { // what they said, once they said it
            return props().filter(p -> !p.vision()).map(p -> "Model '" + spec().alias() + "' cannot read images: its"
                    + " llama-servers (" + spec().property("urls") + ") run without a multimodal projector. Start"
                    + " them with --mmproj, or send text only.");
        }
        boolean reads = props().map(ServerProps::vision).orElse(spec().projector().isPresent());
        return reads ? Optional.empty()
                : Optional.of("Model '" + spec().alias() + "' cannot read images: it has no multimodal projector."
                        + " Set " + spec().property("mmproj") + " to the model's projector GGUF (mmproj-*.gguf from its"
                        + " repository), or send text only.");
    }

    /** Whether the model has been ready at least once. */
    boolean hasBeenReady();

    /** Why the server does not work (failed, its process gone, its canary unanswered), or null when it does. */
    String livenessProblem();

    /** Why it cannot take requests although it may be alive, or null. */
    String readinessProblem();

    default boolean alive() {
        return livenessProblem() == null;
    }

    /** How long the last successful probe of its liveness took, or -1. */
    long canaryLatencyMillis();

    /** Unexpected exits that were followed by a restart. */
    default int restarts() {
        return 0;
    }

    /** How the last process that was not stopped on purpose ended, or null. */
    default String lastExit() {
        return null;
    }

    /** The PID of the running process, when this application runs one. */
    default OptionalLong pid() {
        return OptionalLong.empty();
    }

    /** The output of its llama-servers, across restarts (none for remote replicas). */
    default OutputLog output() {
        return OutputLog.NONE;
    }

    /** What saves and restores its slots' prompt caches ({@code kv-cache.hibernate}); empty when nothing does. */
    default Optional<io.quarkiverse.rocm.runtime.hibernation.Hibernator> hibernator() {
        return Optional.empty();
    }

    /** The command line of the last start, secrets redacted; empty before the first start or for replicas. */
    default List<String> commandLine() {
        return List.of();
    }

    /** The GPUs this server may use (empty without AMD GPUs, and for replicas). */
    default List<GpuDevice> gpus() {
        return List.of();
    }

    /** The remote replicas serving the model, as health and metrics show them; none for a local server. */
    default List<? extends ReplicaStatus> replicas() {
        return List.of();
    }

    /** How many of a pool's choices of replica went which way since the start; 0 for a local server. */
    default long choices(BalanceChoice choice) {
        return 0;
    }

    /** Whether this application loads and unloads it (the scheduler's to run), rather than fronting replicas. */
    boolean loadable();
}
