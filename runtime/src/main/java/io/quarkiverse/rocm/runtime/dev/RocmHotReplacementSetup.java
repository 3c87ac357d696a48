package io.quarkiverse.rocm.runtime.dev;

import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.quarkus.dev.spi.HotReplacementContext;
import io.quarkus.dev.spi.HotReplacementSetup;

/**
 * Dev mode's end: the llama-servers kept between live reloads are stopped when dev mode closes (leaving
 * {@code quarkus:dev}, or the end of a {@code QuarkusDevModeTest}), not only when the JVM exits.
 */
public class RocmHotReplacementSetup implements HotReplacementSetup {

    @Override
    public void setupHotDeployment(HotReplacementContext context) {
        // nothing to watch: configuration changes restart the application, which decides what to keep
    }

    @Override
    public void close() {
        ModelServers.stopKept();
    }
}
