package io.quarkiverse.rocm.runtime.server;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.quarkiverse.rocm.runtime.config.RocmRuntimeConfig;
import io.quarkiverse.rocm.runtime.hub.PullProgress;
import io.quarkiverse.rocm.runtime.hub.Puller;
import io.quarkiverse.rocm.runtime.process.DaemonThreads;
import io.quarkiverse.rocm.runtime.process.LlamaServerException;
import io.quarkiverse.rocm.runtime.scheduling.Limits;
import io.quarkiverse.rocm.runtime.scheduling.Scheduler;
import io.quarkiverse.rocm.runtime.server.local.LocalServer;
import io.quarkiverse.rocm.runtime.server.local.PulledServer;
import io.quarkiverse.rocm.runtime.server.pool.RemoteServer;
import io.quarkiverse.rocm.runtime.spec.LoadableSpec;
import io.quarkiverse.rocm.runtime.spec.LocalSpec;
import io.quarkiverse.rocm.runtime.spec.PullSpec;
import io.quarkiverse.rocm.runtime.spec.RemoteSpec;
import io.quarkiverse.rocm.runtime.spec.ServerSpec;

/**
 * The application's model servers, by configuration name and by alias.
 * <p>
 * In dev mode a server whose {@link ServerSpec} did not change survives a live reload: servers are kept in a static
 * holder between application starts (this class is loaded by the base class loader, which reloads do not replace).
 * Dev mode's end stops whatever is kept ({@link #stopKept()}, called by {@code RocmHotReplacementSetup}), and a JVM
 * shutdown hook does so too in case the JVM exits without closing dev mode.
 */
public final class ModelServers {

    private static final Logger LOG = Logger.getLogger(ModelServers.class);
    /** Servers kept across dev-mode reloads, by spec. */
    private static final Map<ServerSpec, ModelServer> KEPT = new ConcurrentHashMap<>();
    private static volatile boolean hookInstalled;

    private static final ScheduledExecutorService SCHEDULER_TIMER = Executors.newScheduledThreadPool(1,
            DaemonThreads.named("rocm-scheduler"));
    private static final ExecutorService SCHEDULER_WORK = Executors
            .newCachedThreadPool(DaemonThreads.named("rocm-scheduler-work"));

    private final Map<String, ModelServer> byName = new LinkedHashMap<>();
    private final Map<String, ModelServer> byAlias = new LinkedHashMap<>();
    private final Map<String, ModelServer> byAdapter = new LinkedHashMap<>();
    private final Map<String, ScheduledServer> scheduled = new LinkedHashMap<>();
    private final Set<String> onDemand;
    private final boolean lazy;
    private final boolean reuse;
    private final Scheduler scheduler;
    private final Puller puller;

    private ModelServers(List<ModelServer> servers, boolean lazy, boolean reuse, Limits limits,
            Set<String> onDemand, Puller puller) {
        this.puller = puller;
        this.scheduler = new Scheduler(limits, System::nanoTime, (task, delay) -> {
            var f = SCHEDULER_TIMER.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        }, SCHEDULER_WORK);
        for (ModelServer s : servers) {
            byName.put(s.name(), s);
            byAlias.put(s.spec().alias(), s);
            s.spec().adapters().names().forEach(adapter -> byAdapter.put(adapter, s));
            if (s.loadable()) { // remote replicas are not this application's to load or unload
                ScheduledServer model = new ScheduledServer(s);
                scheduled.put(s.name(), model);
                scheduler.add(model, ((LoadableSpec) s.spec()).policy(), s.state() == ModelServer.State.READY);
            }
        }
        this.lazy = lazy;
        this.reuse = reuse;
        this.onDemand = Set.copyOf(onDemand);
        for (String name : scheduled.keySet()) {
            String never = scheduler.whyNeverFits(name);
            if (never != null) { // at the start already, not at its first request
                LOG.warn(never + ". Its requests are refused with this message.");
            }
        }
    }

    /**
     * Creates the servers for {@code specs}. With {@code reuse} (dev mode), a running server of an identical spec
     * kept from the previous start is taken over; kept servers that are not taken over are stopped.
     */
    public static ModelServers create(List<ServerSpec> specs, boolean reuse, boolean lazy) {
        return create(specs, reuse, lazy, Limits.NONE, Set.of());
    }

    /**
     * As {@link #create(List, boolean, boolean)}, with the scheduler's limits, and the models that load only on
     * demand whatever the start mode (those found in {@code quarkus.rocm.models-dir}).
     */
    public static ModelServers create(List<ServerSpec> specs, boolean reuse, boolean lazy, Limits limits,
            Set<String> onDemand) {
        return create(specs, reuse, lazy, limits, onDemand,
                Puller.of(Optional.empty(), Optional.empty(), Optional.empty(), System.getenv()));
    }

    /** As {@link #create(List, boolean, boolean, Limits, Set)}, with the puller of the models named by their repository. */
    public static ModelServers create(List<ServerSpec> specs, boolean reuse, boolean lazy, Limits limits,
            Set<String> onDemand, Puller puller) {
        List<ModelServer> servers = new ArrayList<>();
        for (ServerSpec spec : specs) {
            ModelServer kept = reuse ? KEPT.remove(spec) : null;
            if (kept != null && kept.state() == ModelServer.State.READY) {
                LOG.infof("Keeping llama-server '%s' (pid %d) across the live reload: its configuration did not change",
                        spec.displayName(), kept.pid().orElse(-1));
                servers.add(kept);
            } else {
                if (kept != null) {
                    kept.stop();
                }
                servers.add(of(spec));
            }
        }
        for (ModelServer stale : KEPT.values()) {
            LOG.infof("Stopping llama-server '%s': its configuration changed or it was removed",
                    stale.spec().displayName());
            stale.stop();
        }
        KEPT.clear();
        return new ModelServers(servers, lazy, reuse, limits, onDemand, puller);
    }

    /**
     * The server of a spec: the one place that decides between a local llama-server, one whose model is pulled first,
     * and remote replicas.
     */
    static ModelServer of(ServerSpec spec) {
        if (spec instanceof LocalSpec local) {
            return new LocalServer(local);
        }
        return spec instanceof PullSpec pull ? new PulledServer(pull) : new RemoteServer((RemoteSpec) spec);
    }

    /**
     * Starts every server that is not running; returns when all are ready, or throws the first failure. A failed start
     * stops every server of this start; in dev mode the ones that are ready are kept for the next attempt (a fixed
     * configuration then reuses them), and only the failed ones are stopped.
     */
    public void startAndWait() {
        List<CompletableFuture<?>> starting = startAll();
        try {
            CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            close(reuse);
            if (e.getCause() instanceof LlamaServerException l) {
                throw new LlamaServerException(l.getMessage(), l);
            }
            throw e;
        }
    }

    /** Starts every server without waiting. */
    public void startInBackground() {
        for (CompletableFuture<?> f : startAll()) {
            f.exceptionally(e -> null); // failures are logged and kept as the server's state
        }
    }

    /**
     * Loads the models the start mode loads, through the scheduler, pinned ones first: those that fit beside the
     * others (the rest load on their first request), not those found in the models folder.
     */
    private List<CompletableFuture<?>> startAll() {
        List<CompletableFuture<?>> starting = new ArrayList<>();
        List<ModelServer> order = new ArrayList<>(byName.values());
        order.sort((a, b) -> Boolean.compare(scheduler.pinned(b.name()), scheduler.pinned(a.name())));
        for (ModelServer s : order) {
            if (!s.loadable()) {
                // probed from now on; the application does not wait for replicas it does not own (they may start
                // after it, as pods do): requests wait for one, up to their timeout, and readiness says
                s.start();
                continue;
            }
            if (onDemand.contains(s.name())) {
                continue;
            }
            if (scheduler.whyNeverFits(s.name()) != null) {
                continue; // said at creation
            }
            if (!scheduler.wouldFit(s.name())) {
                LOG.infof("Model '%s' loads on its first request: the models started before it fill %s",
                        s.spec().displayName(), scheduler.limits().maxLoaded() > 0
                                ? "quarkus.rocm.max-loaded=" + scheduler.limits().maxLoaded()
                                : "quarkus.rocm.memory-budget");
                continue;
            }
            starting.add(scheduler.load(s.name()));
        }
        return starting;
    }

    /** The hub and cache the models named by their repository are pulled from and into. */
    public Puller puller() {
        return puller;
    }

    /** How far the pull of a model's file is, while it runs. */
    public Optional<PullProgress> pullProgress(String name) {
        return byName(name).filter(PulledServer.class::isInstance).flatMap(s -> ((PulledServer) s).progress());
    }

    /** Which servers run: loads on demand, unloads when idle, makes room. */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** What a model this application loads needs, estimated from its GGUF, in bytes; 0 for any other. */
    public long plannedBytes(String name) {
        ScheduledServer s = scheduled.get(name);
        return s == null ? 0 : s.plannedBytes();
    }

    /** What the last load of a model measured it to use, in bytes, or 0. */
    public long measuredBytes(String name) {
        ScheduledServer s = scheduled.get(name);
        return s == null ? 0 : s.measuredBytes();
    }

    /**
     * Stops the servers; with {@code keepForReload} (dev mode) ready servers are kept for the next start instead.
     */
    public void close(boolean keepForReload) {
        scheduler.close(); // its timers must not stop a server the next start keeps
        for (ModelServer s : byName.values()) {
            if (keepForReload && s.state() == ModelServer.State.READY) {
                KEPT.put(s.spec(), s);
                installHook();
            } else {
                s.stop();
            }
        }
    }

    private static synchronized void installHook() {
        if (!hookInstalled) {
            hookInstalled = true;
            Runtime.getRuntime().addShutdownHook(new Thread(ModelServers::stopKept, "rocm-stop-kept-servers"));
        }
    }

    /** Stops the servers kept for a live reload: dev mode has ended. */
    public static void stopKept() {
        for (ModelServer s : KEPT.values()) {
            LOG.infof("Stopping llama-server '%s': dev mode ended", s.spec().displayName());
            s.stop();
        }
        KEPT.clear();
    }

    /** Whether servers start on first use. */
    public boolean lazy() {
        return lazy;
    }

    public Collection<ModelServer> all() {
        return byName.values();
    }

    /** The server of a configuration name ({@value RocmRuntimeConfig#DEFAULT_MODEL} for the default model). */
    public Optional<ModelServer> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The server of an API model name: a model's alias, or one of its LoRA adapters' names. */
    public Optional<ModelServer> byAlias(String alias) {
        ModelServer s = byAlias.get(alias);
        return Optional.ofNullable(s != null ? s : byAdapter.get(alias));
    }

    /** The server whose model has the LoRA adapter {@code name}. */
    public Optional<ModelServer> byAdapter(String name) {
        return Optional.ofNullable(byAdapter.get(name));
    }

    /** The default model's server, or the only one. */
    public Optional<ModelServer> defaultServer() {
        ModelServer s = byName.get(RocmRuntimeConfig.DEFAULT_MODEL);
        if (s == null && byName.size() == 1) {
            s = byName.values().iterator().next();
        }
        return Optional.ofNullable(s);
    }

    /** The server of {@code name}, or an error listing the configured ones. */
    public ModelServer require(String name) {
        ModelServer s = byName.get(name);
        if (s == null) {
            throw new LlamaServerException("No model '" + name + "' is configured (configured: " + byName.keySet()
                    + "). Configure it with " + ServerSpec.property(name, "model.path") + ".");
        }
        return s;
    }
}
