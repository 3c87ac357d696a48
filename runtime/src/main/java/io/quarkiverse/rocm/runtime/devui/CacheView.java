package io.quarkiverse.rocm.runtime.devui;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.quarkiverse.rocm.runtime.config.PullPolicy;
import io.quarkiverse.rocm.runtime.hub.HubCache;
import io.quarkiverse.rocm.runtime.hub.HubModel;
import io.quarkiverse.rocm.runtime.hub.PullProgress;
import io.quarkiverse.rocm.runtime.hub.Pulled;
import io.quarkiverse.rocm.runtime.hub.Puller;
import io.quarkiverse.rocm.runtime.process.DaemonThreads;

/**
 * The Dev UI's view of the model cache: the files it holds with their sizes, the pulls in progress, and a pull of a
 * model by name ({@code owner/repo:QUANT}) into it, as {@code llama-server -hf} or {@code ollama pull} would.
 */
final class CacheView {

    private static final ExecutorService PULLS = Executors.newCachedThreadPool(DaemonThreads.named("rocm-devui-pull"));

    /** One cached file. */
    public record File(String repo, String commit, String path, long bytes, String size) {
    }

    /** One pull in progress. */
    public record Pull(String model, int percent, String progress) {
    }

    private CacheView() {
    }

    static List<File> files(Puller puller) {
        List<File> out = new ArrayList<>();
        for (HubCache.Cached c : puller.cache().list()) {
            out.add(new File(c.repo(), c.commit().substring(0, 12), c.path(), c.bytes(), PullProgress.bytes(c.bytes())));
        }
        return out;
    }

    static List<Pull> pulls(Puller puller) {
        return puller.active().stream().map(p -> new Pull(p.model(), p.percent(), p.describe())).toList();
    }

    /** Pulls {@code reference} into the cache (what it holds is not downloaded again); says where it is, or why not. */
    static CompletableFuture<String> pull(Puller puller, String reference) {
        HubModel model;
        try {
            model = HubModel.parse(reference, Optional.empty(), "main", "the model to pull");
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(e.getMessage());
        }
        return CompletableFuture.supplyAsync(() -> {
            Pulled pulled = puller.pull(model, PullPolicy.WHEN_MISSING, new PullProgress(model.toString()), () -> false);
            return (pulled.downloaded() ? "pulled " : "already in the cache: ") + model + " -> " + pulled.file()
                    + ". Serve it with quarkus.rocm.\"name\".model.hf-repo=" + reference;
        }, PULLS).exceptionally(e -> "pull failed: " + (e.getCause() != null ? e.getCause() : e).getMessage());
    }
}
