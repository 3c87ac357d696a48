package io.quarkiverse.rocm.runtime.devui;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.quarkiverse.rocm.runtime.gguf.GgufMetadata;
import io.quarkiverse.rocm.runtime.gpu.GpuDevice;
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.Scheduler;

/**
 * One model as the Dev UI's Models page shows it: its server's state and process, the GGUF metadata, its GPUs' VRAM
 * and the command line (secrets redacted).
 */
public record ModelView(String name, String alias, String state, String reason, Long pid, Integer port, int contextSize,
        int parallel, int restarts, String lastExit, boolean embeddings, String summary, Long canaryMillis,
        List<Gpu> gpus, Map<String, Object> gguf, List<String> commandLine, String scheduled, Long unloadInSeconds,
        boolean pinned, int busy) {

    /** A GPU the server may use, with its VRAM now. */
    public record Gpu(String card, String gfxTarget, String pciAddress, long vramUsed, long vramTotal) {
    }

    /** Arrays longer than this are shown by their length. */
    static final int SHOWN_ARRAY = 8;

    static ModelView of(ModelServer s, Scheduler scheduler) {
        ModelServer.Endpoint e = s.endpoint();
        List<Gpu> gpus = new ArrayList<>();
        for (GpuDevice g : s.gpus()) {
            GpuDevice.Vram v = g.vram();
            gpus.add(new Gpu(g.card(), g.gfxTarget(), g.pciAddress(), v.used(), v.total()));
        }
        if (s.spec().remote()) { // no process, file or scheduling here: the replicas are elsewhere
            return new ModelView(s.name(), s.spec().alias(), s.state().name(), s.reason(), null, null,
                    s.spec().contextSize(), s.spec().parallel(), 0, null, s.spec().embeddings(),
                    "remote: " + String.join(", ", s.spec().pool().urls().stream().map(Object::toString).toList()),
                    null, gpus, Map.of(), List.of(), "REMOTE", null, true, 0);
        }
        return new ModelView(s.name(), s.spec().alias(), s.state().name(), s.reason(),
                s.pid().isPresent() ? s.pid().getAsLong() : null, e == null ? null : e.port(), s.spec().contextSize(),
                s.spec().parallel(), s.restarts(), s.lastExit(), s.spec().embeddings(), s.spec().model().summary(),
                s.canaryLatencyMillis() >= 0 ? s.canaryLatencyMillis() : null, gpus, gguf(s.spec().model()),
                s.commandLine(), scheduler.status(s.name()).name(), unloadIn(scheduler.unloadAt(s.name())),
                s.spec().policy().pinned(), scheduler.busy(s.name()));
    }

    /** Seconds until a planned idle unload, or null. */
    private static Long unloadIn(long unloadAtNanos) {
        return unloadAtNanos < 0 ? null : Math.max(0, (unloadAtNanos - System.nanoTime()) / 1_000_000_000L);
    }

    /** The header's values, sorted by key; long arrays (the vocabulary) by their length. */
    static Map<String, Object> gguf(GgufMetadata m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", m.path().toString());
        out.put("gguf.version", m.version());
        out.put("tensors", m.tensorCount());
        out.put("file.bytes", m.fileSize());
        for (Map.Entry<String, Object> v : new TreeMap<>(m.values()).entrySet()) {
            Object value = v.getValue();
            if (value instanceof GgufMetadata.SkippedArray a) {
                value = "[" + a.length() + " values of " + a.elementType() + "]";
            } else if (value instanceof List<?> l && l.size() > SHOWN_ARRAY) {
                value = "[" + l.size() + " values]";
            }
            out.put(v.getKey(), value);
        }
        return out;
    }
}
