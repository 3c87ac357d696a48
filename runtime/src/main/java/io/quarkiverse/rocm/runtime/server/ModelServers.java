package io.quarkiverse.rocm.runtime.server;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import io.quarkiverse.rocm.runtime.config.RocmRuntimeConfig;
import io.quarkiverse.rocm.runtime.process.LlamaServerException;

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

    private final Map<String, ModelServer> byName = new LinkedHashMap<>();
    private final Map<String, ModelServer> byAlias = new LinkedHashMap<>();
    private final boolean lazy;
    private final boolean reuse;

    private ModelServers(List<ModelServer> servers, boolean lazy, boolean reuse) {
        for (ModelServer s : servers) {
            byName.put(s.name(), s);
            byAlias.put(s.spec().alias(), s);
        }
        this.lazy = lazy;
        this.reuse = reuse;
    }

    /**
     * Creates the servers for {@code specs}. With {@code reuse} (dev mode), a running server of an identical spec
     * kept from the previous start is taken over; kept servers that are not taken over are stopped.
     */
    public static ModelServers create(List<ServerSpec> specs, boolean reuse, boolean lazy) {
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
                servers.add(new ModelServer(spec));
            }
        }
        for (ModelServer stale : KEPT.values()) {
            LOG.infof("Stopping llama-server '%s': its configuration changed or it was removed",
                    stale.spec().displayName());
            stale.stop();
        }
        KEPT.clear();
        return new ModelServers(servers, lazy, reuse);
    }

    /**
     * Starts every server that is not running; returns when all are ready, or throws the first failure. A failed start
     * stops every server of this start; in dev mode the ones that are ready are kept for the next attempt (a fixed
     * configuration then reuses them), and only the failed ones are stopped.
     */
    public void startAndWait() {
        List<CompletableFuture<ModelServer.Endpoint>> starting = new ArrayList<>();
        for (ModelServer s : byName.values()) {
            starting.add(s.start());
        }
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
        for (ModelServer s : byName.values()) {
            s.start().exceptionally(e -> null); // failures are logged and kept as the server's state
        }
    }

    /**
     * Stops the servers; with {@code keepForReload} (dev mode) ready servers are kept for the next start instead.
     */
    public void close(boolean keepForReload) {
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

    /** The server of an API model name (alias). */
    public Optional<ModelServer> byAlias(String alias) {
        return Optional.ofNullable(byAlias.get(alias));
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
