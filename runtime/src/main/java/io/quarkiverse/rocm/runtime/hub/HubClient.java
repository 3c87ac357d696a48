package io.quarkiverse.rocm.runtime.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkiverse.rocm.runtime.json.Json;

/**
 * The requests made to the Hugging Face hub, the ones llama.cpp's {@code -hf} makes ({@code common/hf-cache.cpp},
 * {@code common/download.cpp}):
 * <ul>
 * <li>{@code GET {endpoint}api/models/{repo}/refs}: the branches and tags, each with its {@code targetCommit};</li>
 * <li>{@code GET {endpoint}api/models/{repo}/tree/{commit}?recursive=true}: the files, with {@code size} and
 * {@code lfs.oid} (the SHA-256), following the {@code Link: <...>; rel="next"} pages as {@code huggingface_hub}
 * does;</li>
 * <li>{@code GET {endpoint}{repo}/resolve/{commit}/{path}}, with {@code Range: bytes=N-} to resume: the hub answers an
 * LFS file with a redirect to its storage that carries {@code X-Linked-Etag} (the SHA-256) and
 * {@code X-Linked-Size}. Redirects are followed here, one by one, so that the token is sent to the hub's host only
 * (never to the storage a redirect leads to), and the hash is read from the hub's redirect, never from the
 * {@code ETag} at its end (the storage's own).</li>
 * </ul>
 * A token is sent as {@code Authorization: Bearer}; it is never logged or put in a message.
 */
public final class HubClient {

    private static final String USER_AGENT = "quarkus-rocm (llama.cpp -hf compatible)";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    /** How long the hub may take to answer (its headers; a body's stalls are the caller's to watch). */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_REDIRECTS = 5;
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");

    private final URI endpoint;
    private final Optional<String> token;

    /** @param endpoint the hub's address, ending with {@code /} */
    public HubClient(URI endpoint, Optional<String> token) {
        this.endpoint = endpoint.toString().endsWith("/") ? endpoint : URI.create(endpoint + "/");
        this.token = token.filter(t -> !t.isBlank());
    }

    public URI endpoint() {
        return endpoint;
    }

    /** The commit {@code revision} (a branch or a tag) of {@code repo} is at now. */
    public String commit(String repo, String revision) {
        JsonNode refs = parse(api(endpoint.resolve("api/models/" + repo + "/refs"), repo).body, endpoint);
        List<String> known = new ArrayList<>();
        for (String kind : List.of("branches", "tags")) {
            for (JsonNode ref : refs.path(kind)) {
                String name = ref.path("name").asText();
                known.add(name);
                if (name.equals(revision) && ref.path("targetCommit").asText().matches("[0-9a-f]{40}")) {
                    return ref.path("targetCommit").asText();
                }
            }
        }
        throw new HubException("Repository " + repo + " on " + endpoint + " has no branch or tag '" + revision
                + "' (it has: " + String.join(", ", known) + "). Set the model's hf-revision to one of them or to a commit.");
    }

    /** The files of {@code repo} at {@code commit}, in the hub's order. */
    public List<HubFile> files(String repo, String commit) {
        List<HubFile> files = new ArrayList<>();
        URI page = endpoint.resolve("api/models/" + repo + "/tree/" + commit + "?recursive=true");
        while (page != null) {
            Answer answer = api(page, repo);
            for (JsonNode item : parse(answer.body, page)) {
                if (!"file".equals(item.path("type").asText())) {
                    continue;
                }
                JsonNode lfs = item.path("lfs");
                String oid = lfs.isObject() ? lfs.path("oid").asText() : item.path("oid").asText();
                long size = lfs.isObject() ? lfs.path("size").asLong(item.path("size").asLong(-1))
                        : item.path("size").asLong(-1);
                files.add(new HubFile(item.path("path").asText(), size,
                        oid.matches("[0-9a-f]{40}|[0-9a-f]{64}") ? oid : ""));
            }
            page = next(answer.links, page);
        }
        return files;
    }

    /**
     * A file's bytes from {@code offset} on, as the hub (or the storage it redirects to) sends them. A read that waits
     * longer than {@code readTimeout} for bytes fails.
     */
    public Transfer open(String repo, String commit, String path, long offset, Duration readTimeout) {
        URI uri = endpoint.resolve(repo + "/resolve/" + commit + "/" + encodePath(path));
        String linkedEtag = null;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpURLConnection c = connect(uri, readTimeout, onHub(uri));
            c.setRequestProperty("Accept-Encoding", "identity");
            if (offset > 0) {
                c.setRequestProperty("Range", "bytes=" + offset + "-");
            }
            int status = status(c, repo);
            if (status >= 300 && status < 400) {
                String location = c.getHeaderField("Location");
                discard(c);
                if (location == null) {
                    throw new HubException("The hub answered " + uri.getPath() + " with " + status + " but no Location.");
                }
                if (onHub(uri)) { // only the hub's own redirect says what the content is
                    String etag = c.getHeaderField("X-Linked-Etag");
                    linkedEtag = etag == null ? linkedEtag : unquote(etag);
                }
                uri = uri.resolve(location);
                continue;
            }
            if (status == 416 && offset > 0) {
                discard(c);
                return new Transfer(InputStream.nullInputStream(), 416, 0, linkedEtag, c::disconnect);
            }
            if (status != 200 && status != 206) {
                throw refused(status, c, errorBody(c), repo, uri);
            }
            if (linkedEtag == null && onHub(uri)) { // a file served by the hub itself: its ETag is its oid
                String etag = Optional.ofNullable(c.getHeaderField("X-Linked-Etag")).orElse(c.getHeaderField("ETag"));
                linkedEtag = etag == null ? null : unquote(etag);
            }
            try {
                return new Transfer(c.getInputStream(), status, c.getContentLengthLong(), linkedEtag,
                        c::disconnect);
            } catch (IOException e) {
                throw unreachable(repo, e);
            }
        }
        throw new HubException("Too many redirects fetching " + path + " of " + repo + " from " + endpoint);
    }

    /**
     * An answer whose body is being read.
     *
     * @param status 200 (from the start), 206 (from the offset asked for) or 416 (the offset is the whole file)
     * @param length the body's length, or -1
     * @param linkedEtag the content's hash the hub announced ({@code X-Linked-Etag}), or null
     * @param disconnect closes the connection (a stop ends a blocked read with it)
     */
    public record Transfer(InputStream body, int status, long length, String linkedEtag, Runnable disconnect) {
    }

    private boolean onHub(URI uri) {
        return uri.getHost() != null && uri.getHost().equalsIgnoreCase(endpoint.getHost())
                && uri.getPort() == endpoint.getPort() && uri.getScheme().equalsIgnoreCase(endpoint.getScheme());
    }

    /** A JSON answer of the API, or the error its status means. */
    private Answer api(URI uri, String repo) {
        HttpURLConnection c = connect(uri, ANSWER_TIMEOUT, true);
        c.setRequestProperty("Accept", "application/json");
        int status = status(c, repo);
        if (status != 200) {
            throw refused(status, c, errorBody(c), repo, uri);
        }
        try (InputStream in = c.getInputStream()) {
            return new Answer(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    Optional.ofNullable(c.getHeaderFields().get("Link")).orElse(List.of()));
        } catch (IOException e) {
            throw unreachable(repo, e);
        }
    }

    private record Answer(String body, List<String> links) {
    }

    private HttpURLConnection connect(URI uri, Duration readTimeout, boolean withToken) {
        try {
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
            c.setInstanceFollowRedirects(false);
            c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            c.setReadTimeout((int) readTimeout.toMillis());
            c.setUseCaches(false);
            c.setRequestProperty("User-Agent", USER_AGENT);
            if (withToken) {
                token.ifPresent(t -> c.setRequestProperty("Authorization", "Bearer " + t));
            }
            return c;
        } catch (IOException | IllegalArgumentException e) {
            throw new HubException("Cannot open " + uri.getScheme() + "://" + uri.getAuthority() + uri.getPath() + ": "
                    + e.getMessage(), e);
        }
    }

    private int status(HttpURLConnection c, String repo) {
        try {
            return c.getResponseCode();
        } catch (IOException e) {
            throw unreachable(repo, e);
        }
    }

    private HubException unreachable(String repo, IOException e) {
        return new HubException("Cannot reach the Hugging Face hub at " + endpoint + " for " + repo + ": "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage())
                + ". Check the network, or the address in quarkus.rocm.hf.endpoint (or HF_ENDPOINT).", e);
    }

    private HubException refused(int status, HttpURLConnection c, String body, String repo, URI uri) {
        String why = Optional.ofNullable(c.getHeaderField("X-Error-Message")).orElse(errorOf(body));
        String code = Optional.ofNullable(c.getHeaderField("X-Error-Code")).orElse("");
        String where = "Repository " + repo + " on " + endpoint;
        String what = "(" + status + (code.isEmpty() ? "" : " " + code) + ": " + why + ")";
        return switch (status) {
            case 401 -> new HubException(where + " refused the request " + what + ": " + (token.isPresent()
                    ? "the token was refused; check quarkus.rocm.hf.token (or HF_TOKEN), and that the repository exists."
                    : "a token is needed for it (or it does not exist): set quarkus.rocm.hf.token or HF_TOKEN."), status);
            case 403 -> new HubException(where + " refused the request " + what + ": " + (token.isPresent()
                    ? "the token may not read it; accept the repository's conditions on its page with this account, or"
                            + " use a token that may."
                    : "a token is needed for it: set quarkus.rocm.hf.token or HF_TOKEN."), status);
            case 404 -> new HubException(where + " has no " + uri.getPath() + " " + what
                    + ". Check the model's hf-repo, hf-file and hf-revision.", status);
            default -> new HubException(where + " answered " + status + " for " + uri.getPath() + ": " + why, status);
        };
    }

    private static String errorBody(HttpURLConnection c) {
        try (InputStream body = c.getErrorStream()) {
            return body == null ? "" : new String(body.readNBytes(4096), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Reads what is left of an answer whose body is not wanted, so that its connection can be kept. */
    private static void discard(HttpURLConnection c) {
        try (InputStream in = c.getErrorStream() != null ? c.getErrorStream() : c.getInputStream()) {
            in.readNBytes(64 * 1024);
        } catch (IOException e) {
            c.disconnect();
        }
    }

    /** The hub's {@code {"error": "..."}}, or the body as it is. */
    private static String errorOf(String body) {
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            if (n != null && n.hasNonNull("error")) {
                return n.get("error").asText();
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: shown as it is
        }
        return body == null || body.isBlank() ? "no details" : body.strip();
    }

    private static JsonNode parse(String body, URI from) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new HubException("The hub's answer to " + from.getPath() + " is not JSON: " + e.getMessage(), e);
        }
    }

    private static URI next(List<String> links, URI current) {
        for (String link : links) {
            Matcher m = NEXT.matcher(link);
            if (m.find()) {
                return current.resolve(m.group(1));
            }
        }
        return null;
    }

    private static String encodePath(String path) {
        StringBuilder out = new StringBuilder();
        for (String segment : path.split("/")) {
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return out.toString();
    }

    private static String unquote(String etag) {
        String e = etag.trim();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e;
    }

}
