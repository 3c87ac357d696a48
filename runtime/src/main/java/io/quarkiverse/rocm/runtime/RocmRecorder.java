package io.quarkiverse.rocm.runtime;

import java.nio.file.Path;
import java.util.List;

import org.jboss.logging.Logger;

import io.quarkiverse.rocm.runtime.config.RocmRuntimeConfig;
import io.quarkiverse.rocm.runtime.process.Orphans;
import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.quarkiverse.rocm.runtime.server.ServerSpec;
import io.quarkiverse.rocm.runtime.server.ServerSpecs;
import io.quarkus.runtime.RuntimeValue;
import io.quarkus.runtime.ShutdownContext;
import io.quarkus.runtime.annotations.Recorder;

@Recorder
public class RocmRecorder {

    private static final Logger LOG = Logger.getLogger(RocmRecorder.class);
    private final RuntimeValue<RocmRuntimeConfig> config;

    public RocmRecorder(RuntimeValue<RocmRuntimeConfig> config) {
        this.config = config;
    }

    /**
     * Validates the configuration, reaps servers left behind by a killed earlier run, creates one server per model
     * and starts them as {@code quarkus.rocm.start} says. Stops them with the application (in dev mode, ready
     * servers are kept for the next live reload).
     */
    public RuntimeValue<ModelServers> start(ShutdownContext shutdown, boolean devMode) {
        RocmRuntimeConfig c = config.getValue();
        int reaped = new Orphans(Path.of("/proc")).reap(c.stopTimeout().toMillis());
        if (reaped > 0) {
            LOG.infof("Stopped %d llama-server process(es) left behind by applications that were killed", reaped);
        }
        List<ServerSpec> specs = ServerSpecs.from(c, System.getenv());
        ModelServers servers = ModelServers.create(specs, devMode, c.start() == RocmRuntimeConfig.StartMode.LAZY);
        shutdown.addShutdownTask(() -> servers.close(devMode));
        switch (c.start()) {
            case EAGER -> servers.startAndWait();
            case BACKGROUND -> servers.startInBackground();
            case LAZY -> LOG.debug("llama-server starts on first use (quarkus.rocm.start=lazy)");
        }
        return new RuntimeValue<>(servers);
    }
}
