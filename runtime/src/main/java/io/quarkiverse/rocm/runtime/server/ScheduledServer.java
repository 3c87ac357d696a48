package io.quarkiverse.rocm.runtime.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import io.quarkiverse.rocm.runtime.gpu.GpuDevice;
import io.quarkiverse.rocm.runtime.scheduling.Model;
import io.quarkiverse.rocm.runtime.spec.LoadableSpec;

/**
 * A {@link ModelServer} as the {@link Scheduler} sees it: loading is starting it, unloading is stopping it, and its
 * memory is the GGUF estimate until a load measured it (the VRAM its GPUs gained while it loaded, or the resident
 * memory of a CPU server), after which later loads are planned with the measured figure.
 */
final class ScheduledServer implements Model {

    private final ModelServer server;
    private volatile long measuredBytes;
    private volatile long vramBefore = -1;

    /** @param server a server this application loads ({@link ModelServer#loadable()}) */
    ScheduledServer(ModelServer server) {
        this.server = server;
    }

    @Override
    public String name() {
        return server.name();
    }

    @Override
    public CompletableFuture<?> load() {
        vramBefore = server.gpus().isEmpty() ? -1 : vramUsed();
        return server.start();
    }

    @Override
    public void unload() {
        server.stop();
    }

    @Override
    public boolean loaded() {
        return server.state() == ModelServer.State.READY;
    }

    @Override
    public long bytes() {
        long measured = measuredBytes;
        return measured > 0 ? measured : plannedBytes();
    }

    /** What its GGUF says it needs (0 while its file is being pulled). */
    long plannedBytes() {
        return ((LoadableSpec) server.spec()).plannedBytes();
    }

    /** What the last load measured, or 0. */
    long measuredBytes() {
        return measuredBytes;
    }

    @Override
    public void measure() {
        long bytes;
        if (vramBefore >= 0) {
            bytes = vramUsed() - vramBefore; // other loads at the same time blur it; the next load measures again
        } else {
            bytes = server.pid().isPresent() ? rss(server.pid().getAsLong()) : 0;
        }
        if (bytes > 0) {
            measuredBytes = bytes;
        }
    }

    private long vramUsed() {
        long used = 0;
        for (GpuDevice g : server.gpus()) {
            used += g.vram().used();
        }
        return used;
    }

    /** Resident memory of a process ({@code VmRSS}), or 0. */
    static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone, or not Linux: keep the estimate
        }
        return 0;
    }
}
