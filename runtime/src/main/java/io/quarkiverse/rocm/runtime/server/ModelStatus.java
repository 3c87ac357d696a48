package io.quarkiverse.rocm.runtime.server;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import io.quarkiverse.rocm.runtime.gguf.GgufMetadata;
import io.quarkiverse.rocm.runtime.gpu.GpuDevice;
import io.quarkiverse.rocm.runtime.scheduling.Scheduler;
import io.quarkiverse.rocm.runtime.spec.LocalSpec;
import io.quarkiverse.rocm.runtime.spec.PullSpec;
import io.quarkiverse.rocm.runtime.spec.RemoteSpec;

/**
 * One model as users see it, the same in the API ({@code /v1/models}), the Dev UI and health: its state in a word
 * ({@code loaded}, {@code loading}, {@code unloaded}, {@code failed}), why, its process or its replicas, its file and
 * its scheduling. A snapshot, taken when asked for.
 *
 * @param word {@code loaded}, {@code loading}, {@code unloaded} or {@code failed}
 * @param pid the local process, or null
 * @param port the TCP port the ready server listens on (for replicas: the first one's), or null
 * @param socket the Unix domain socket a ready local server listens on, or null
 * @param canaryMillis how long its last liveness probe took, or null
 * @param file the GGUF file's metadata, for a model this application runs
 * @param servedBy what serves it: {@code llama-server} with its file, or {@code remote: <urls>}
 * @param replicas its remote replicas (none for a local server)
 * @param rpcWorkers its RPC workers ({@code --rpc}'s value), or null
 * @param scheduled the scheduler's status of it, or {@code REMOTE}
 * @param unloadAtNanos when an idle unload is planned ({@link System#nanoTime()}), or -1
 * @param busy requests holding a lease on it
 * @param reportedContext the context size the server reported ({@code /props}), or null
 */
public record ModelStatus(String name, String alias, ModelServer.State state, String reason, String word, Long pid,
        Integer port, String socket, int restarts, String lastExit, Long canaryMillis, int contextSize, int parallel,
        boolean embeddings, Optional<GgufMetadata> file, String servedBy, List<? extends ReplicaStatus> replicas,
        String rpcWorkers, List<GpuDevice> gpus, List<String> commandLine, String scheduled, boolean pinned,
        long unloadAtNanos, int busy, Integer reportedContext) {

    /** The status of {@code s} now. */
    public static ModelStatus of(ModelServer s, Scheduler scheduler) {
        Endpoint e = s.endpoint();
        Optional<GgufMetadata> file = Optional.empty();
        String servedBy;
        String workers = null;
        if (s.spec() instanceof LocalSpec local) {
            file = Optional.of(local.model());
            servedBy = local.model().summary();
            workers = local.rpcWorkers().isEmpty() ? null : local.rpcWorkers().argument();
        } else if (s.spec() instanceof PullSpec pull) {
            servedBy = "hf: " + pull.hub() + " (pulled at its first load)";
        } else {
            servedBy = "remote: " + ((RemoteSpec) s.spec()).pool().urls().stream().map(Object::toString)
                    .collect(Collectors.joining(", "));
        }
        boolean loadable = s.loadable();
        return new ModelStatus(s.name(), s.spec().alias(), s.state(), s.reason(), word(s, scheduler),
                s.pid().isPresent() ? s.pid().getAsLong() : null, e == null || e.socket() != null ? null : e.port(),
                e == null ? null : e.socket(),
                s.restarts(), s.lastExit(), s.canaryLatencyMillis() >= 0 ? s.canaryLatencyMillis() : null,
                s.spec().contextSize(), s.spec().parallel(), s.spec().embeddings(), file, servedBy, s.replicas(),
                workers, s.gpus(), s.commandLine(), loadable ? scheduler.status(s.name()).name() : "REMOTE",
                !loadable || scheduler.pinned(s.name()), loadable ? scheduler.unloadAt(s.name()) : -1,
                loadable ? scheduler.busy(s.name()) : 0, s.props().map(ServerProps::contextSize).orElse(null));
    }

    /** {@code loaded}, {@code loading}, {@code unloaded} or {@code failed}. */
    static String word(ModelServer s, Scheduler scheduler) {
        return switch (s.state()) {
            case READY -> "loaded";
            case STARTING, RESTARTING -> "loading";
            case FAILED -> "failed";
            case STOPPING -> "unloaded";
            case STOPPED -> s.loadable() && scheduler.status(s.name()) == Scheduler.Status.FAILED ? "failed"
                    : "unloaded";
        };
    }

    /** How many replicas are in rotation. */
    public long replicasInRotation() {
        return replicas.stream().filter(ReplicaStatus::inRotation).count();
    }
}
