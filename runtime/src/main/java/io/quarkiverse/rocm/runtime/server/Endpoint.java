package io.quarkiverse.rocm.runtime.server;

/**
 * Where a ready llama-server listens, and the key it requires.
 *
 * @param pid the local process, or -1 for a remote replica
 * @param replica the remote replica's URL, or null for a local server
 * @param ssl whether it speaks HTTPS
 * @param basePath a path prefix before llama-server's own paths (a replica behind a gateway), or empty
 * @param socket the Unix domain socket a local server listens on instead of a TCP port, or null
 */
public record Endpoint(String host, int port, String apiKey, long pid, String replica, boolean ssl, String basePath,
        String socket) {

    /** A local llama-server on a TCP port. */
    public Endpoint(String host, int port, String apiKey, long pid) {
        this(host, port, apiKey, pid, null, false, "", null);
    }

    /** A local llama-server on a Unix domain socket. */
    public static Endpoint unix(String socket, String apiKey, long pid) {
        return new Endpoint("localhost", 0, apiKey, pid, null, false, "", socket);
    }

    /** A remote replica at {@code url}. */
    public static Endpoint replica(java.net.URI url, String apiKey) {
        boolean ssl = "https".equals(url.getScheme());
        int port = url.getPort() > 0 ? url.getPort() : ssl ? 443 : 80;
        return new Endpoint(url.getHost(), port, apiKey, -1, url.toString(), ssl,
                url.getRawPath() == null ? "" : url.getRawPath(), null);
    }

    public String baseUrl() {
        return replica != null ? replica : socket != null ? "unix://" + socket : "http://" + host + ":" + port;
    }

    /** How messages name the server behind it. */
    public String describe(String model) {
        return replica != null ? "replica " + replica + " of model '" + model + "'" : "llama-server '" + model + "'";
    }
}
