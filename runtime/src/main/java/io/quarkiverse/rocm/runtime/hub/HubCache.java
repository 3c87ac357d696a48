package io.quarkiverse.rocm.runtime.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The cache the installed llama-server's {@code -hf} uses (llama.cpp {@code common/hf-cache.cpp}), which is the layout
 * of {@code huggingface_hub}'s cache, so that each finds what the other pulled:
 *
 * <pre>
 * {cache}/models--owner--repo/
 *     refs/main                            the commit of the branch (40 hex, no newline)
 *     blobs/{oid}                          the content, named by its SHA-256 (LFS) or git SHA-1
 *     snapshots/{commit}/{path}            a relative link to ../../blobs/{oid}
 * </pre>
 *
 * The folder: {@code quarkus.rocm.hf.cache}, else {@code $LLAMA_CACHE}, {@code $HF_HUB_CACHE},
 * {@code $HUGGINGFACE_HUB_CACHE}, {@code $HF_HOME/hub}, {@code $XDG_CACHE_HOME/huggingface/hub},
 * {@code ~/.cache/huggingface/hub} (llama.cpp's order). A transfer in progress is {@code blobs/{oid}.incomplete} (as
 * {@code huggingface_hub} names it) and is locked through {@code .locks/models--owner--repo/{oid}.lock}.
 */
public final class HubCache {

    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private final Path root;

    public HubCache(Path root) {
        this.root = root.toAbsolutePath();
    }

    /** The cache folder llama-server would use with this environment, unless {@code configured}. */
    public static HubCache locate(Optional<Path> configured, Map<String, String> env) {
        if (configured.isPresent()) {
            return new HubCache(configured.get());
        }
        String[][] entries = { { "LLAMA_CACHE", "" }, { "HF_HUB_CACHE", "" }, { "HUGGINGFACE_HUB_CACHE", "" },
                { "HF_HOME", "hub" }, { "XDG_CACHE_HOME", "huggingface/hub" } };
        for (String[] e : entries) {
            String value = env.get(e[0]);
            if (value != null && !value.isEmpty()) {
                return new HubCache(e[1].isEmpty() ? Path.of(value) : Path.of(value, e[1]));
            }
        }
        return new HubCache(Path.of(System.getProperty("user.home"), ".cache", "huggingface", "hub"));
    }

    public Path root() {
        return root;
    }

    /** {@code models--owner--repo}. */
    public Path repoDir(String repo) {
        return root.resolve("models--" + repo.replace("/", "--"));
    }

    /** The commit the cache recorded for {@code revision} (a commit is its own), if any. */
    public Optional<String> commit(String repo, String revision) {
        if (COMMIT.matcher(revision).matches()) {
            return Files.isDirectory(snapshot(repo, revision)) ? Optional.of(revision) : Optional.empty();
        }
        Path ref = repoDir(repo).resolve("refs").resolve(revision);
        try {
            String commit = Files.readString(ref, StandardCharsets.UTF_8).trim();
            return COMMIT.matcher(commit).matches() ? Optional.of(commit) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Records that {@code revision} is {@code commit} (written aside and renamed, as llama.cpp does). */
    public void writeRef(String repo, String revision, String commit) throws IOException {
        if (revision.equals(commit)) {
            return;
        }
        Path ref = repoDir(repo).resolve("refs").resolve(revision);
        Files.createDirectories(ref.getParent());
        Path tmp = ref.resolveSibling(ref.getFileName() + ".tmp");
        Files.writeString(tmp, commit, StandardCharsets.UTF_8);
        move(tmp, ref);
    }

    public Path snapshot(String repo, String commit) {
        return repoDir(repo).resolve("snapshots").resolve(commit);
    }

    /** Where {@code file} of {@code commit} is read from (a link into the blobs, or a file in degraded mode). */
    public Path snapshotFile(String repo, String commit, String path) {
        return snapshot(repo, commit).resolve(path);
    }

    public Path blob(String repo, String oid) {
        return repoDir(repo).resolve("blobs").resolve(oid);
    }

    /** The partial download of a blob: survives a kill, resumed by the next transfer. */
    public Path incomplete(String repo, String oid) {
        return repoDir(repo).resolve("blobs").resolve(oid + ".incomplete");
    }

    /** The lock file that keeps two processes from downloading one blob at once. */
    public Path lock(String repo, String oid) {
        return root.resolve(".locks").resolve(repoDir(repo).getFileName()).resolve(oid + ".lock");
    }

    /** The files of a cached snapshot, in path order, with their sizes; empty when the commit is not cached. */
    public List<HubFile> files(String repo, String commit) {
        Path snapshot = snapshot(repo, commit);
        List<HubFile> files = new ArrayList<>();
        if (!Files.isDirectory(snapshot)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(snapshot)) {
            for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
                if (Files.isRegularFile(p)) { // follows the link: a dangling one is not a file
                    String oid = Files.isSymbolicLink(p) ? Files.readSymbolicLink(p).getFileName().toString() : "";
                    files.add(new HubFile(snapshot.relativize(p).toString().replace('\\', '/'), Files.size(p), oid));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + snapshot + ": " + e.getMessage(), e);
        }
        return files;
    }

    /**
     * Makes {@code path} of {@code commit} point at its blob: a relative link, as {@code huggingface_hub} and llama.cpp
     * make it (where links cannot be made, the blob is moved there, as llama.cpp's degraded mode does).
     */
    public Path link(String repo, String commit, String path, String oid) throws IOException {
        Path file = snapshotFile(repo, commit, path);
        if (Files.exists(file)) {
            return file;
        }
        Files.createDirectories(file.getParent());
        Path blob = blob(repo, oid);
        try {
            Files.createSymbolicLink(file, file.getParent().relativize(blob));
        } catch (UnsupportedOperationException | IOException e) {
            if (Files.exists(file)) { // another process linked it meanwhile
                return file;
            }
            move(blob, file);
        }
        return file;
    }

    /** The repositories in the cache, each with its snapshots' files (the Dev UI's list). */
    public List<Cached> list() {
        List<Cached> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> repos = Files.list(root)) {
            for (Path dir : (Iterable<Path>) repos.sorted()::iterator) {
                String name = dir.getFileName().toString();
                if (!name.startsWith("models--") || !Files.isDirectory(dir.resolve("snapshots"))) {
                    continue;
                }
                String repo = name.substring("models--".length()).replace("--", "/");
                try (Stream<Path> commits = Files.list(dir.resolve("snapshots"))) {
                    for (Path c : (Iterable<Path>) commits.sorted()::iterator) {
                        String commit = c.getFileName().toString();
                        for (HubFile f : files(repo, commit)) {
                            out.add(new Cached(repo, commit, f.path(), f.size()));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + root + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** One cached file. */
    public record Cached(String repo, String commit, String path, long bytes) {
    }

    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
