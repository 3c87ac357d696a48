package io.quarkiverse.rocm.runtime.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

import io.quarkiverse.rocm.runtime.config.PullPolicy;
import io.quarkiverse.rocm.runtime.process.DaemonThreads;

/**
 * Pulls models by name into the cache, as {@code quarkus.rocm.pull} says: {@code when-missing} uses what the cache
 * holds without asking the hub; {@code always} asks the hub for the revision's commit and downloads when it changed
 * (when the hub cannot be reached, a cached copy is used, with a warning); {@code never} is the caller's to refuse.
 * One per application; its transfers are logged every few seconds and counted.
 */
public final class Puller {

    private static final Logger LOG = Logger.getLogger(Puller.class);
    private static final long LOG_EVERY_SECONDS = 5;
    private static final ScheduledExecutorService TICKS = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("rocm-pull-progress"));

    private final HubClient client;
    private final HubCache cache;
    private final AtomicLong received = new AtomicLong();
    private final Map<Outcome, AtomicLong> pulls = new EnumMap<>(Outcome.class);
    private final Map<Outcome, AtomicLong> pullNanos = new EnumMap<>(Outcome.class);
    private final Set<PullProgress> active = ConcurrentHashMap.newKeySet();

    /** How a pull ended. */
    public enum Outcome {
        /** Files were downloaded. */
        DOWNLOADED,
        /** The cache held them (nothing downloaded). */
        CACHED,
        /** It failed. */
        FAILED,
        /** It was stopped. */
        CANCELLED;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Puller(HubClient client, HubCache cache) {
        this.client = client;
        this.cache = cache;
        for (Outcome o : Outcome.values()) {
            pulls.put(o, new AtomicLong());
            pullNanos.put(o, new AtomicLong());
        }
    }

    /** The hub and cache this environment and configuration name. */
    public static Puller of(Optional<URI> endpoint, Optional<String> token, Optional<Path> cacheDir, Map<String, String> env) {
        URI hub = endpoint.orElseGet(() -> URI.create(firstOf(env, "MODEL_ENDPOINT", "HF_ENDPOINT")
                .orElse("https://huggingface.co/")));
        Optional<String> t = token.or(() -> firstOf(env, "HF_TOKEN")).or(() -> tokenFile(env));
        return new Puller(new HubClient(hub, t), HubCache.locate(cacheDir, env));
    }

    /**
     * The token {@code huggingface-cli login} saved, where {@code huggingface_hub} reads it: {@code $HF_TOKEN_PATH},
     * else {@code $HF_HOME/token}, else {@code $XDG_CACHE_HOME/huggingface/token}, else
     * {@code ~/.cache/huggingface/token}.
     */
    static Optional<String> tokenFile(Map<String, String> env) {
        Path file = firstOf(env, "HF_TOKEN_PATH").map(Path::of)
                .or(() -> firstOf(env, "HF_HOME").map(h -> Path.of(h, "token")))
                .or(() -> firstOf(env, "XDG_CACHE_HOME").map(x -> Path.of(x, "huggingface", "token")))
                .orElseGet(() -> Path.of(System.getProperty("user.home"), ".cache", "huggingface", "token"));
        try {
            return Files.isReadable(file) ? Optional.of(Files.readString(file).strip()).filter(v -> !v.isEmpty())
                    : Optional.empty();
        } catch (IOException e) {
            LOG.warnf("Cannot read the Hugging Face token file %s: %s", file, e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<String> firstOf(Map<String, String> env, String... names) {
        for (String n : names) {
            String v = env.get(n);
            if (v != null && !v.isBlank()) {
                return Optional.of(v.trim());
            }
        }
        return Optional.empty();
    }

    public HubCache cache() {
        return cache;
    }

    public URI endpoint() {
        return client.endpoint();
    }

    /** Pulls since the start that ended so. */
    public long pulls(Outcome outcome) {
        return pulls.get(outcome).get();
    }

    /** The time those pulls took together, in nanoseconds. */
    public long pullNanos(Outcome outcome) {
        return pullNanos.get(outcome).get();
    }

    /** Bytes received from the hub since the start. */
    public long receivedBytes() {
        return received.get();
    }

    /** The pulls in progress. */
    public List<PullProgress> active() {
        return List.copyOf(active);
    }

    /**
     * The model's files as the cache holds them for its revision, without asking the hub; empty unless every one of
     * them is there (a dangling link or a missing part is not a cached model).
     */
    public Optional<Pulled> cached(HubModel model) {
        Optional<String> commit = cache.commit(model.repo(), model.revision());
        if (commit.isEmpty()) {
            return Optional.empty();
        }
        List<HubFile> files = cache.files(model.repo(), commit.get());
        FileChoice.Chosen chosen;
        try {
            chosen = FileChoice.choose(files, model);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        List<Path> parts = new ArrayList<>();
        for (HubFile f : chosen.parts()) {
            parts.add(cache.snapshotFile(model.repo(), commit.get(), f.path()));
        }
        Pulled pulled = new Pulled(model, commit.get(), parts,
                chosen.projector().map(p -> cache.snapshotFile(model.repo(), commit.get(), p.path())), false);
        return complete(pulled) ? Optional.of(pulled) : Optional.empty();
    }

    /**
     * The model's files, pulled as {@code policy} says ({@link PullPolicy#NEVER} only looks in the cache).
     *
     * @param progress told how far the transfer is
     * @param cancelled whether to stop (what was received is kept to resume)
     * @throws HubException saying what failed, naming the repository and file
     */
    public Pulled pull(HubModel model, PullPolicy policy, PullProgress progress, BooleanSupplier cancelled) {
        long start = System.nanoTime();
        Outcome outcome = Outcome.FAILED;
        active.add(progress);
        ScheduledFuture<?> ticks = TICKS.scheduleAtFixedRate(() -> log(model, progress), LOG_EVERY_SECONDS,
                LOG_EVERY_SECONDS, TimeUnit.SECONDS);
        try {
            Pulled pulled = resolve(model, policy, progress, cancelled);
            outcome = pulled.downloaded() ? Outcome.DOWNLOADED : Outcome.CACHED;
            return pulled;
        } catch (PullCancelledException e) {
            outcome = Outcome.CANCELLED;
            throw e;
        } finally {
            ticks.cancel(false);
            active.remove(progress);
            pulls.get(outcome).incrementAndGet();
            pullNanos.get(outcome).addAndGet(System.nanoTime() - start);
        }
    }

    private Pulled resolve(HubModel model, PullPolicy policy, PullProgress progress, BooleanSupplier cancelled) {
        Optional<Pulled> cached = cached(model);
        if (policy == PullPolicy.NEVER || (policy == PullPolicy.WHEN_MISSING && cached.isPresent())) {
            return cached.orElseThrow(() -> new HubException(model + " is not in the cache " + cache.root()));
        }
        String commit;
        List<HubFile> files;
        try {
            commit = model.pinnedCommit() ? model.revision() : client.commit(model.repo(), model.revision());
            files = client.files(model.repo(), commit);
        } catch (HubException e) {
            if (cached.isPresent() && e.status() == 0 && !(e instanceof PullCancelledException)) {
                LOG.warnf("%s Using the cached %s (commit %s).", e.getMessage(), model, cached.get().commit());
                return cached.get();
            }
            throw e;
        }
        if (cached.isPresent() && cached.get().commit().equals(commit)) {
            LOG.debugf("%s is up to date (commit %s)", model, commit);
            return cached.get();
        }
        FileChoice.Chosen chosen;
        try {
            chosen = FileChoice.choose(files, model);
        } catch (IllegalArgumentException e) {
            throw new HubException(e.getMessage() + " (asked " + client.endpoint() + ")");
        }
        return download(model, commit, chosen, progress, cancelled);
    }

    private Pulled download(HubModel model, String commit, FileChoice.Chosen chosen, PullProgress progress,
            BooleanSupplier cancelled) {
        long missing = 0;
        for (HubFile f : chosen.all()) {
            if (!Files.isRegularFile(cache.blob(model.repo(), f.oid())) && f.size() > 0) {
                missing += f.size();
            }
        }
        progress.total(missing);
        boolean downloaded = missing > 0;
        if (downloaded) {
            LOG.infof("Pulling %s (commit %s) from %s into %s: %s", model, commit.substring(0, 12), client.endpoint(),
                    cache.root(), describe(chosen));
        }
        progress.countInto(received);
        List<Path> parts = new ArrayList<>();
        Optional<Path> projector = Optional.empty();
        try {
            for (HubFile f : chosen.all()) {
                new BlobDownload(client, cache, model.repo(), commit, f, progress, cancelled).fetch();
                Path linked = cache.link(model.repo(), commit, f.path(), f.oid());
                if (chosen.projector().filter(f::equals).isPresent()) {
                    projector = Optional.of(linked);
                } else {
                    parts.add(linked);
                }
            }
            cache.writeRef(model.repo(), model.revision(), commit);
        } catch (IOException e) {
            throw new HubException("Cannot write " + model + " into the cache " + cache.root() + ": " + e.getMessage()
                    + ". Check that the folder is writable, or set quarkus.rocm.hf.cache to one that is.", e);
        } catch (UncheckedIOException e) {
            throw new HubException("Cannot read the cache " + cache.root() + ": " + e.getMessage(), e);
        }
        if (downloaded) {
            LOG.infof("Pulled %s (commit %s): %s", model, commit.substring(0, 12), parts.get(0));
        }
        return new Pulled(model, commit, parts, projector, downloaded);
    }

    private static boolean complete(Pulled p) {
        return p.parts().stream().allMatch(Files::isRegularFile)
                && p.projector().map(Files::isRegularFile).orElse(true);
    }

    private static String describe(FileChoice.Chosen chosen) {
        List<String> names = new ArrayList<>();
        for (HubFile f : chosen.all()) {
            names.add(f.path() + " (" + PullProgress.bytes(f.size()) + ")");
        }
        return String.join(", ", names);
    }

    private static void log(HubModel model, PullProgress progress) {
        LOG.infof("Pulling %s: %s", model, progress.describe());
    }
}
