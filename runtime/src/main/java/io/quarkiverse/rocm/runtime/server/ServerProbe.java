package io.quarkiverse.rocm.runtime.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The supervisor's own requests to a llama-server, on the JDK's HTTP client (no Vert.x, so the supervisor stays plain
 * Java), or over its Unix domain socket ({@link UnixHttp}): {@code /health} while it starts, {@code /props} once it is
 * ready, {@code /slots} for the canary and the saves and restores of its slots, and the probes of remote replicas.
 */
public final class ServerProbe {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private ServerProbe() {
    }

    /** The status of {@code GET path}, or -1 when the server does not answer within {@code timeout}. */
    public static int status(String host, int port, String path, String apiKey, Duration timeout) {
        try {
            return HTTP.send(request(host, port, path, apiKey, timeout), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The status of {@code GET path} of a local server at {@code at} (a TCP port or a socket), or -1. */
    public static int status(Endpoint at, String path, String apiKey, Duration timeout) {
        return at.socket() != null ? UnixHttp.get(java.nio.file.Path.of(at.socket()), path, apiKey, timeout).status()
                : status(at.host(), at.port(), path, apiKey, timeout);
    }

    /** {@code GET /props} of a local server at {@code at}; empty when it does not answer it. */
    public static Optional<ServerProps> props(Endpoint at, Duration timeout) {
        if (at.socket() == null) {
            return props(at.host(), at.port(), at.apiKey(), timeout);
        }
        Answer a = UnixHttp.get(java.nio.file.Path.of(at.socket()), "/props", at.apiKey(), timeout);
        try {
            return a.status() == 200 ? Optional.of(ServerProps.parse(a.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@code GET /props} of a ready server; empty when it does not answer it (its checks are then skipped). */
    public static Optional<ServerProps> props(String host, int port, String apiKey, Duration timeout) {
        try {
            HttpResponse<String> r = HTTP.send(request(host, port, "/props", apiKey, timeout),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(ServerProps.parse(r.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** One answer of a remote server: its status and body, or status -1 and why there was none. */
    public record Answer(int status, String body, String error) {
    }

    /** {@code GET base + path} of a remote llama-server. */
    public static Answer get(URI base, String path, String apiKey, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).GET();
        return send(b, apiKey, timeout);
    }

    /** {@code POST path} with a JSON body to a local server at {@code at} (a TCP port or a socket). */
    public static Answer post(Endpoint at, String path, String json, Duration timeout) {
        if (at.socket() != null) {
            return UnixHttp.send(java.nio.file.Path.of(at.socket()), "POST", path, at.apiKey(), json, timeout);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + at.host() + ":" + at.port() + path))
                .timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        return send(b, at.apiKey(), timeout);
    }

    /** {@code GET path} of a local server at {@code at}, with its answer. */
    public static Answer get(Endpoint at, String path, Duration timeout) {
        return at.socket() != null ? UnixHttp.get(java.nio.file.Path.of(at.socket()), path, at.apiKey(), timeout)
                : send(HttpRequest.newBuilder(URI.create("http://" + at.host() + ":" + at.port() + path))
                        .timeout(timeout).GET(), at.apiKey(), timeout);
    }

    private static Answer send(HttpRequest.Builder b, String apiKey, Duration timeout) {
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), null);
        } catch (java.net.http.HttpTimeoutException e) {
            return new Answer(-1, "", "no answer within " + timeout.toMillis() + " ms");
        } catch (java.net.ConnectException e) {
            return new Answer(-1, "", "connection refused (nothing listens there)");
        } catch (IOException e) {
            String why = e.getMessage() != null ? e.getMessage()
                    : e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage()
                            : e.getClass().getSimpleName();
            return new Answer(-1, "", why);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, "", "interrupted");
        }
    }

    private static HttpRequest request(String host, int port, String path, String apiKey, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path)).timeout(timeout)
                .GET();
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return b.build();
    }
}
