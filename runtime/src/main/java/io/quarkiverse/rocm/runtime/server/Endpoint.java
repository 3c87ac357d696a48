package io.quarkiverse.rocm.runtime.server;

/**
 * Where a ready llama-server listens, and the key it requires.
 *
 * @param pid the local process, or -1 for a remote replica
 * @param replica the remote replica's URL, or null for a local server
 * @param ssl whether it speaks HTTPS
 * @param basePath a path prefix before llama-server's own paths (a replica behind a gateway), or empty
 */
public record Endpoint(String host, int port, String apiKey, long pid, String replica, boolean ssl, String basePath) {

    /** A local llama-server. */
    public Endpoint(String host, int port, String apiKey, long pid) {
        this(host, port, apiKey, pid, null, false, "");
    }

    public String baseUrl() {
        return replica != null ? replica : "http://" + host + ":" + port;
    }

    /** How messages name the server behind it. */
    public String describe(String model) {
        return replica != null ? "replica " + replica + " of model '" + model + "'" : "llama-server '" + model + "'";
    }
}
