package io.quarkiverse.rocm.runtime.server.local;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.quarkiverse.rocm.runtime.gpu.GpuDevice;
import io.quarkiverse.rocm.runtime.hub.PullCancelledException;
import io.quarkiverse.rocm.runtime.hub.PullProgress;
import io.quarkiverse.rocm.runtime.hub.Pulled;
import io.quarkiverse.rocm.runtime.process.DaemonThreads;
import io.quarkiverse.rocm.runtime.process.OutputLog;
import io.quarkiverse.rocm.runtime.server.Endpoint;
import io.quarkiverse.rocm.runtime.server.LifecycleServer;
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.Route;
import io.quarkiverse.rocm.runtime.server.ServerProps;
import io.quarkiverse.rocm.runtime.spec.LoadableSpec;
import io.quarkiverse.rocm.runtime.spec.LocalSpec;
import io.quarkiverse.rocm.runtime.spec.ModelFiles;
import io.quarkiverse.rocm.runtime.spec.PullSpec;

/**
 * A model named by its Hugging Face repository whose file must be pulled first. Its first start pulls the file
 * ({@code STARTING}, with the reason {@code downloading 42% of 4.1 GB (...)}), plans it exactly as a local file (the
 * GGUF header, the context, the VRAM preflight: a failed check fails the start), then runs a {@link LocalServer} on it.
 * From then on this server mirrors that one: its state and reason, its process, endpoint and routes. A failed pull
 * fails the start (the next start pulls again, resuming); a stop during the pull stops the transfer and keeps what it
 * received for the next one.
 */
public final class PulledServer extends LifecycleServer {

    private static final Logger LOG = Logger.getLogger(PulledServer.class);
    private static final ExecutorService PULLS = Executors.newCachedThreadPool(DaemonThreads.named("rocm-pull"));

    private final PullSpec pull;
    private volatile LocalServer server;
    private volatile PullProgress progress;
    private volatile boolean stopping;
    /**
     * Held while the local server is handed over and started, and while a stop looks for it: a stop that comes as the
     * pull ends either finds the server and stops it after its start, or keeps it from starting. Never taken under
     * {@code lock} (the local server's transitions take {@code lock} through {@link #mirror}).
     */
    private final Object handover = new Object();
    // guarded by lock
    private CompletableFuture<Void> pulling;

    public PulledServer(PullSpec pull) {
        this.pull = pull;
    }

    /** The pulled file's spec once it is planned; the pull's before. */
    @Override
    public LoadableSpec spec() {
        LocalServer s = server;
        return s != null ? s.spec() : pull;
    }

    /** How far the pull is, while it runs. */
    public Optional<PullProgress> progress() {
        return Optional.ofNullable(progress);
    }

    @Override
    public CompletableFuture<Endpoint> start() {
        LocalServer s = server;
        if (s != null) {
            return s.start();
        }
        synchronized (lock) {
            if (server == null && pulling == null) {
                stopping = false;
                PullProgress p = new PullProgress(pull.hub().toString());
                progress = p;
                unready(State.STARTING, "pulling " + pull.hub() + " from " + pull.puller().endpoint());
                pulling = CompletableFuture.runAsync(() -> pullAndStart(p), PULLS);
            }
            if (server == null) {
                return whenReady();
            }
        }
        return server.start();
    }

    private void pullAndStart(PullProgress p) {
        LocalServer s;
        try {
            Pulled pulled = pull.puller().pull(pull.hub(), pull.pull(), p, () -> stopping);
            // the checks of a local file
            LocalSpec planned = pull.plan().apply(new ModelFiles(pulled.file(), pulled.projector()));
            s = new LocalServer(planned);
        } catch (PullCancelledException e) {
            synchronized (lock) {
                pulling = null;
                progress = null;
            }
            return; // stop() ends the state
        } catch (RuntimeException e) {
            String message = "Cannot pull model '" + pull.displayName() + "' (" + pull.hubProperty() + "=" + pull.hub()
                    + "): " + e.getMessage();
            LOG.error(message);
            synchronized (lock) {
                pulling = null;
                progress = null;
                end(State.FAILED, message, message);
            }
            return;
        }
        s.addListener(this::mirror);
        synchronized (handover) {
            synchronized (lock) {
                pulling = null;
                progress = null;
                if (stopping) {
                    end(State.STOPPED, "stopped", "llama-server '" + pull.displayName() + "' was stopped");
                    return;
                }
                server = s;
            }
            s.start();
        }
    }

    /** The local server's transitions are this server's. */
    private void mirror(ModelServer from, State was, State to, String why) {
        synchronized (lock) {
            switch (to) {
                case READY -> ready(from.endpoint(), why);
                case FAILED, STOPPED -> end(to, why, "llama-server '" + pull.displayName() + "' " + (to == State.FAILED
                        ? "failed: " + why
                        : "was stopped"));
                default -> unready(to, why);
            }
        }
    }

    @Override
    public void stop() {
        LocalServer s;
        CompletableFuture<Void> running = null;
        synchronized (handover) {
            s = server;
            if (s == null) {
                synchronized (lock) {
                    running = pulling;
                    if (running == null) {
                        return;
                    }
                    stopping = true;
                    transition(State.STOPPING, "stopping the pull of " + pull.hub());
                }
            }
        }
        if (s != null) {
            s.stop();
            return;
        }
        running.join(); // the transfer sees the flag within a second
        s = server;
        if (s != null) {
            s.stop();
            return;
        }
        synchronized (lock) {
            end(State.STOPPED, "stopped", "llama-server '" + pull.displayName() + "' was stopped while its model was"
                    + " being pulled");
        }
    }

    @Override
    public String reason() {
        PullProgress p = progress;
        return p != null && state() == State.STARTING ? p.describe() : super.reason();
    }

    @Override
    public Endpoint endpoint() {
        LocalServer s = server;
        return s == null ? null : s.endpoint();
    }

    @Override
    public Route route(Supplier<byte[]> body) {
        return server.route(body); // asked for once ready, when the local server exists
    }

    @Override
    public Optional<ServerProps> props() {
        LocalServer s = server;
        return s == null ? Optional.empty() : s.props();
    }

    @Override
    public String livenessProblem() {
        LocalServer s = server;
        if (s != null) {
            return s.livenessProblem();
        }
        return state() == State.FAILED ? "failed: " + super.reason() : null;
    }

    @Override
    public String readinessProblem() {
        LocalServer s = server;
        return s != null ? s.readinessProblem() : livenessProblem();
    }

    @Override
    public long canaryLatencyMillis() {
        LocalServer s = server;
        return s == null ? -1 : s.canaryLatencyMillis();
    }

    @Override
    public int restarts() {
        LocalServer s = server;
        return s == null ? 0 : s.restarts();
    }

    @Override
    public String lastExit() {
        LocalServer s = server;
        return s == null ? null : s.lastExit();
    }

    @Override
    public OptionalLong pid() {
        LocalServer s = server;
        return s == null ? OptionalLong.empty() : s.pid();
    }

    @Override
    public OutputLog output() {
        LocalServer s = server;
        return s == null ? OutputLog.NONE : s.output();
    }

    @Override
    public List<String> commandLine() {
        LocalServer s = server;
        return s == null ? List.of() : s.commandLine();
    }

    @Override
    public Optional<io.quarkiverse.rocm.runtime.hibernation.Hibernator> hibernator() {
        LocalServer s = server;
        return s == null ? Optional.empty() : s.hibernator();
    }

    @Override
    public List<GpuDevice> gpus() {
        LocalServer s = server;
        return s == null ? List.of() : s.gpus();
    }

    @Override
    public boolean loadable() {
        return true;
    }

    @Override
    public String toString() {
        return "PulledServer[" + pull.hub() + ", " + state() + "]";
    }
}
