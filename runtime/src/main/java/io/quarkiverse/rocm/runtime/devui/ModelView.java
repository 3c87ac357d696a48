package io.quarkiverse.rocm.runtime.devui;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.quarkiverse.rocm.runtime.gguf.GgufMetadata;
import io.quarkiverse.rocm.runtime.gpu.GpuDevice;
import io.quarkiverse.rocm.runtime.hub.PullProgress;
import io.quarkiverse.rocm.runtime.scheduling.Scheduler;
import io.quarkiverse.rocm.runtime.server.Capabilities;
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.ModelStatus;

/**
 * One model as the Dev UI's Models page shows it: its server's state and process, the GGUF metadata, its GPUs' VRAM,
 * the command line (secrets redacted), and how far the pull of its file is while one runs.
 */
public record ModelView(String name, String alias, String state, String reason, Long pid, Integer port,
        String listensOn, int contextSize,
        int parallel, int restarts, String lastExit, boolean embeddings, String summary, Long canaryMillis,
        List<Gpu> gpus, Map<String, Object> gguf, List<String> commandLine, String scheduled, Long unloadInSeconds,
        boolean pinned, int busy, Integer downloadPercent, List<String> capabilities, List<Adapter> adapters,
        String projector, SavedCaches savedCaches) {

    /**
     * Its slots' prompt caches saved while it is not loaded ({@code kv-cache.hibernate}): the slots and their tokens,
     * the files' bytes, and why its llama-server does not save them (or null).
     */
    public record SavedCaches(String dir, Map<Integer, Long> slots, long bytes, String refused, long saves,
            long restores, long tokensRestored) {

        static SavedCaches of(io.quarkiverse.rocm.runtime.hibernation.Hibernator h) {
            return new SavedCaches(h.caches().dir().toString(), h.saved(), h.savedBytes(), h.refused(), h.saves(),
                    h.restores(), h.tokensRestored());
        }
    }

    /** A LoRA adapter of the model: a chat model of its own, by its name. */
    public record Adapter(String name, String file, double scale, long bytes) {
    }

    /** A GPU the server may use, with its VRAM now. */
    public record Gpu(String card, String gfxTarget, String pciAddress, long vramUsed, long vramTotal) {
    }

    /** Arrays longer than this are shown by their length. */
    static final int SHOWN_ARRAY = 8;

    /** @param pull the pull of its file, while one runs */
    static ModelView of(ModelServer s, Scheduler scheduler, Optional<PullProgress> pull) {
        ModelStatus st = ModelStatus.of(s, scheduler);
        List<Gpu> gpus = new ArrayList<>();
        for (GpuDevice g : st.gpus()) {
            GpuDevice.Vram v = g.vram();
            gpus.add(new Gpu(g.card(), g.gfxTarget(), g.pciAddress(), v.used(), v.total()));
        }
        String listensOn = st.socket() != null ? st.socket() : st.port() != null ? "127.0.0.1:" + st.port() : null;
        return new ModelView(st.name(), st.alias(), st.state().name(), st.reason(), st.pid(), st.port(), listensOn,
                st.contextSize(), st.parallel(), st.restarts(), st.lastExit(), st.embeddings(), st.servedBy(),
                st.canaryMillis(), gpus, st.file().map(ModelView::gguf).orElse(Map.of()), st.commandLine(),
                st.scheduled(), unloadIn(st.unloadAtNanos()), st.pinned(), st.busy(),
                pull.map(PullProgress::percent).orElse(null), Capabilities.of(s),
                s.spec().adapters().list().stream()
                        .map(a -> new Adapter(a.name(), a.file().toString(), a.scale(), a.bytes())).toList(),
                s.spec().projector().map(Object::toString).orElse(null),
                s.hibernator().map(SavedCaches::of).orElse(null));
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
