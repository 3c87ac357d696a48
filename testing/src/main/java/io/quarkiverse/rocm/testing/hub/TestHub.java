package io.quarkiverse.rocm.testing.hub;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A local stand-in for the Hugging Face hub (the internet cannot be reached from the tests), speaking the protocol of
 * the requests that llama.cpp's {@code -hf}, {@code huggingface_hub} and quarkus-rocm make, with the hub's answers:
 * <ul>
 * <li>{@code GET /api/models/{repo}/refs}: {@code {"branches":[{"name","ref","targetCommit"}],"converts":[],"tags":[...]}}
 * (llama.cpp {@code common/hf-cache.cpp} {@code get_repo_commit});</li>
 * <li>{@code GET /api/models/{repo}/tree/{revision}?recursive=true}: the files, {@code type}, {@code oid} (git blob
 * SHA-1), {@code size}, {@code path} and, for LFS files, {@code lfs: {oid (SHA-256), size, pointerSize}}; pages of
 * {@link #pageSize} entries linked by {@code Link: <...>; rel="next"} ({@code get_repo_files};
 * {@code huggingface_hub} {@code hf_api.py} {@code list_repo_tree} through {@code utils/_pagination.py});</li>
 * <li>{@code HEAD|GET /{repo}/resolve/{revision}/{path}}: an LFS file is a {@code 302} to the storage, another host,
 * carrying {@code X-Repo-Commit}, {@code X-Linked-Etag} (the SHA-256, quoted) and {@code X-Linked-Size}; a small
 * file is served by the hub with {@code ETag} (its git SHA-1) ({@code huggingface_hub} {@code file_download.py}
 * {@code get_hf_file_metadata} and {@code _request_wrapper}, which follow only relative redirects and read those
 * headers);</li>
 * <li>the storage answers {@code Range: bytes=N-} with {@code 206} and {@code Content-Range}, with its own
 * {@code ETag} (not the content's SHA-256, as the real storage's is not), and {@code Accept-Ranges: bytes}
 * (llama.cpp {@code common/download.cpp} checks {@code Accept-Ranges} on {@code HEAD} and expects {@code 206} when it
 * resumes);</li>
 * <li>errors: {@code 401} with {@code X-Error-Code} and {@code X-Error-Message} and {@code {"error": ...}} for a
 * repository that needs a token; {@code 404} {@code RepoNotFound}, {@code RevisionNotFound},
 * {@code EntryNotFound}.</li>
 * </ul>
 * Behaviour a real hub cannot be made to show on demand is injected: a connection dropped or stalled after some bytes,
 * a throttled transfer, bytes altered on the way. Every request is recorded ({@link #seen()}).
 */
public final class TestHub implements AutoCloseable {

    /** One request as the hub or the storage saw it. */
    public record Seen(String server, String method, String path, String range, boolean authorized) {
    }

    /** A file of a repository. */
    public record File(String path, byte[] content, boolean lfs) {
        public String sha256() {
            return hex("SHA-256", content, null);
        }

        public String gitOid() {
            return hex("SHA-1", content, ("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
        }
    }

    private final class Repo {
        final Map<String, File> files = new LinkedHashMap<>();
        String commit;
        Optional<String> token = Optional.empty();
    }

    private final Vertx vertx = Vertx.vertx();
    private final Map<String, Repo> repos = new ConcurrentHashMap<>();
    private final Map<String, File> blobs = new ConcurrentHashMap<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Map<String, Long> dropAfter = new ConcurrentHashMap<>();
    private final Map<String, Long> stallAfter = new ConcurrentHashMap<>();
    private final Map<String, Boolean> corrupt = new ConcurrentHashMap<>();
    private volatile long bytesPerSecond;
    private volatile int pageSize = 1000;
    private final HttpServer hub;
    private final HttpServer storage;
    private int commits;

    public TestHub() {
        hub = listen(this::hub);
        storage = listen(this::storage);
        // what it saw, for a copy of this class in another class loader (a QuarkusUnitTest's test instance): JDK types
        System.getProperties().put(KEY + endpoint() + ".seen", (java.util.function.Supplier<List<String>>) () -> seen
                .stream().map(s -> String.join("\t", s.server(), s.method(), s.path(), String.valueOf(s.range()),
                        Boolean.toString(s.authorized())))
                .toList());
        System.getProperties().put(KEY + endpoint() + ".clear", (Runnable) seen::clear);
    }

    private static final String KEY = "quarkus-rocm.test-hub.";

    /**
     * What the hub at {@code endpoint} saw, even when it was started by a copy of this class in another class loader
     * (a {@code QuarkusUnitTest} loads the test class again: the hub its configuration names is the first copy's).
     */
    @SuppressWarnings("unchecked")
    public static List<Seen> seenAt(URI endpoint) {
        var view = (java.util.function.Supplier<List<String>>) System.getProperties().get(KEY + endpoint + ".seen");
        return view.get().stream().map(l -> l.split("\t")).map(f -> new Seen(f[0], f[1], f[2],
                "null".equals(f[3]) ? null : f[3], Boolean.parseBoolean(f[4]))).toList();
    }

    /** Forgets what the hub at {@code endpoint} saw. */
    public static void clearSeenAt(URI endpoint) {
        ((Runnable) System.getProperties().get(KEY + endpoint + ".clear")).run();
    }

    private HttpServer listen(io.vertx.core.Handler<HttpServerRequest> handler) {
        try {
            return vertx.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1").toCompletionStage()
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the test hub", e);
        }
    }

    /** The hub's address, as {@code HF_ENDPOINT} takes it (with the trailing slash). */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + hub.actualPort() + "/");
    }

    /** Adds (or replaces) a file of {@code repo}; an LFS file unless it is not a GGUF. A new commit is made. */
    public synchronized TestHub file(String repo, String path, byte[] content) {
        Repo r = repos.computeIfAbsent(repo, k -> new Repo());
        File f = new File(path, content, path.endsWith(".gguf"));
        r.files.put(path, f);
        blobs.put(f.sha256(), f);
        r.commit = hex("SHA-1", (repo + "#" + (++commits)).getBytes(StandardCharsets.UTF_8), null);
        return this;
    }

    /** The commit {@code main} of {@code repo} is at. */
    public synchronized String commit(String repo) {
        return repos.get(repo).commit;
    }

    public synchronized File get(String repo, String path) {
        return repos.get(repo).files.get(path);
    }

    /** From now on {@code repo} answers only requests with {@code Authorization: Bearer token}. */
    public TestHub requireToken(String repo, String token) {
        repos.get(repo).token = Optional.of(token);
        return this;
    }

    /** The next transfer of {@code path} ends (the connection is closed) after {@code bytes}. */
    public TestHub dropNextAfter(String path, long bytes) {
        dropAfter.put(path, bytes);
        return this;
    }

    /** The next transfer of {@code path} stops sending after {@code bytes}, the connection left open. */
    public TestHub stallNextAfter(String path, long bytes) {
        stallAfter.put(path, bytes);
        return this;
    }

    /** Every transfer of {@code path} sends altered bytes (one flipped), the hashes announced unchanged. */
    public TestHub corrupt(String path, boolean on) {
        if (on) {
            corrupt.put(path, true);
        } else {
            corrupt.remove(path);
        }
        return this;
    }

    /** Transfers are sent at this rate (0: at once). */
    public TestHub throttle(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
        return this;
    }

    /** Tree listings are cut in pages of this many entries. */
    public TestHub pageSize(int entries) {
        this.pageSize = entries;
        return this;
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    public void clearSeen() {
        seen.clear();
    }

    // ------------------------------------------------------------------ the hub

    private void hub(HttpServerRequest request) {
        String path = request.path();
        seen.add(new Seen("hub", request.method().name(), path, request.getHeader("Range"),
                request.getHeader("Authorization") != null));
        HttpServerResponse response = request.response();
        if (path.startsWith("/api/models/")) {
            api(request, path.substring("/api/models/".length()));
            return;
        }
        int resolve = path.indexOf("/resolve/");
        String[] repoParts = resolve < 0 ? new String[0] : path.substring(1, resolve).split("/");
        if (resolve < 0 || repoParts.length != 2) {
            error(response, 404, "EntryNotFound", "Not found: " + path);
            return;
        }
        String repoId = path.substring(1, resolve);
        Repo repo = authorized(request, repoId);
        if (repo == null) {
            return;
        }
        String rest = path.substring(resolve + "/resolve/".length());
        int slash = rest.indexOf('/');
        String revision = rest.substring(0, slash);
        String file = java.net.URLDecoder.decode(rest.substring(slash + 1), StandardCharsets.UTF_8);
        if (!revision.equals("main") && !revision.equals(repo.commit)) {
            error(response, 404, "RevisionNotFound", "Invalid rev id: " + revision);
            return;
        }
        File f = repo.files.get(file);
        if (f == null) {
            error(response, 404, "EntryNotFound", file + " does not exist on \"" + revision + "\"");
            return;
        }
        response.putHeader("X-Repo-Commit", repo.commit);
        if (f.lfs()) {
            response.setStatusCode(302).putHeader("X-Linked-Etag", "\"" + f.sha256() + "\"")
                    .putHeader("X-Linked-Size", Long.toString(f.content().length))
                    .putHeader("ETag", "\"" + f.gitOid() + "\"")
                    .putHeader("Location", "http://localhost:" + storage.actualPort() + "/xet/" + f.sha256()
                            + "?X-Amz-Signature=test-signature")
                    .end();
            return;
        }
        send(request, f, "\"" + f.gitOid() + "\"");
    }

    private void api(HttpServerRequest request, String rest) {
        HttpServerResponse response = request.response();
        int refs = rest.indexOf("/refs");
        int tree = rest.indexOf("/tree/");
        String repoId = refs > 0 ? rest.substring(0, refs) : tree > 0 ? rest.substring(0, tree) : rest;
        Repo repo = authorized(request, repoId);
        if (repo == null) {
            return;
        }
        if (refs > 0) {
            JsonObject main = new JsonObject().put("name", "main").put("ref", "refs/heads/main").put("targetCommit",
                    repo.commit);
            json(response, new JsonObject().put("branches", new JsonArray().add(main)).put("converts", new JsonArray())
                    .put("tags", new JsonArray()).encode());
            return;
        }
        if (tree < 0) {
            error(response, 404, "EntryNotFound", "Not found");
            return;
        }
        String revision = rest.substring(tree + "/tree/".length());
        if (!revision.equals("main") && !revision.equals(repo.commit)) {
            error(response, 404, "RevisionNotFound", "Invalid rev id: " + revision);
            return;
        }
        List<JsonObject> entries = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        for (File f : repo.files.values()) {
            int cut = f.path().lastIndexOf('/');
            if (cut > 0 && !dirs.contains(f.path().substring(0, cut))) {
                dirs.add(f.path().substring(0, cut));
                entries.add(new JsonObject().put("type", "directory").put("oid", hex("SHA-1",
                        f.path().substring(0, cut).getBytes(StandardCharsets.UTF_8), null)).put("size", 0)
                        .put("path", f.path().substring(0, cut)));
            }
            JsonObject e = new JsonObject().put("type", "file").put("oid", f.gitOid()).put("size", f.content().length)
                    .put("path", f.path());
            if (f.lfs()) {
                e.put("lfs", new JsonObject().put("oid", f.sha256()).put("size", f.content().length).put("pointerSize",
                        134));
            }
            entries.add(e);
        }
        int from = Integer.parseInt(Optional.ofNullable(request.getParam("cursor")).orElse("0"));
        int to = Math.min(entries.size(), from + pageSize);
        if (to < entries.size()) {
            response.putHeader("Link", "<" + endpoint().resolve(request.path()) + "?recursive=true&cursor=" + to
                    + ">; rel=\"next\"");
        }
        json(response, new JsonArray(new ArrayList<>(entries.subList(from, to))).encode());
    }

    /** The repository, or null once the answer (404 or 401) is sent. */
    private Repo authorized(HttpServerRequest request, String repoId) {
        Repo repo = repos.get(repoId);
        if (repo == null) {
            error(request.response(), 401, "RepoNotFound", "Repository Not Found for url: " + request.absoluteURI()
                    + ". Please make sure you specified the correct `repo_id` and `repo_type`. If you are trying to access"
                    + " a private or gated repo, make sure you are authenticated.");
            return null;
        }
        if (repo.token.isPresent() && !("Bearer " + repo.token.get()).equals(request.getHeader("Authorization"))) {
            error(request.response(), 401, "GatedRepo", "Access to model " + repoId + " is restricted. You must have"
                    + " access to it and be authenticated to access it. Please log in.");
            return null;
        }
        return repo;
    }

    // ------------------------------------------------------------------ the storage (another host)

    private void storage(HttpServerRequest request) {
        seen.add(new Seen("storage", request.method().name(), request.path(), request.getHeader("Range"),
                request.getHeader("Authorization") != null));
        String sha = request.path().startsWith("/xet/") ? request.path().substring("/xet/".length()) : "";
        File f = blobs.get(sha);
        if (f == null) {
            request.response().setStatusCode(404).end("NoSuchKey");
            return;
        }
        send(request, f, "\"" + hex("MD5", f.content(), null) + "\"");
    }

    private void send(HttpServerRequest request, File f, String etag) {
        HttpServerResponse response = request.response();
        byte[] content = f.content();
        long start = 0;
        String range = request.getHeader("Range");
        if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
            start = Long.parseLong(range.substring("bytes=".length(), range.length() - 1));
            if (start >= content.length) {
                response.setStatusCode(416).putHeader("Content-Range", "bytes */" + content.length).end();
                return;
            }
            response.setStatusCode(206).putHeader("Content-Range",
                    "bytes " + start + "-" + (content.length - 1) + "/" + content.length);
        }
        response.putHeader("ETag", etag).putHeader("Accept-Ranges", "bytes")
                .putHeader("Content-Type", "application/octet-stream")
                .putHeader("Content-Length", Long.toString(content.length - start));
        if (request.method() == HttpMethod.HEAD) {
            response.end();
            return;
        }
        byte[] body = content.clone();
        if (corrupt.containsKey(f.path())) {
            body[body.length / 2] ^= 0x5A;
        }
        Long drop = dropAfter.remove(f.path());
        Long stall = stallAfter.remove(f.path());
        write(response, body, (int) start, drop == null ? -1 : start + drop, stall == null ? -1 : start + stall);
    }

    /** Writes {@code body[from..]}, at the throttled rate in chunks; drops or stalls at the given offsets. */
    private void write(HttpServerResponse response, byte[] body, int from, long dropAt, long stallAt) {
        long rate = bytesPerSecond;
        int stop = (int) Math.min(body.length, dropAt >= 0 ? dropAt : stallAt >= 0 ? stallAt : body.length);
        int end = rate > 0 ? (int) Math.min(stop, from + Math.max(1024, rate / 20)) : stop;
        if (response.closed()) {
            return;
        }
        if (end > from) {
            response.write(Buffer.buffer(java.util.Arrays.copyOfRange(body, from, end)));
        }
        if (end < stop) {
            vertx.setTimer(Math.max(1, (end - from) * 1000L / rate), t -> write(response, body, end, dropAt, stallAt));
        } else if (stop == body.length) {
            response.end();
        } else if (dropAt >= 0) {
            vertx.setTimer(100, t -> response.close()); // the connection is closed mid-transfer
        } // else: stalled, never ends
    }

    private static void json(HttpServerResponse response, String body) {
        response.putHeader("Content-Type", "application/json; charset=utf-8").end(body);
    }

    private static void error(HttpServerResponse response, int status, String code, String message) {
        response.setStatusCode(status).putHeader("X-Error-Code", code).putHeader("X-Error-Message", message)
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .end(new JsonObject().put("error", message).encode());
    }

    static String hex(String algorithm, byte[] content, byte[] prefix) {
        try {
            MessageDigest d = MessageDigest.getInstance(algorithm);
            if (prefix != null) {
                d.update(prefix);
            }
            return HexFormat.of().formatHex(d.digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        System.getProperties().remove(KEY + endpoint() + ".seen");
        System.getProperties().remove(KEY + endpoint() + ".clear");
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
