package io.quarkiverse.rocm.runtime.access;

import io.vertx.core.http.HttpMethod;

/**
 * Where the API is (its root below the HTTP root path, {@code /v1} by default, and the routes it also has at the HTTP
 * root, as llama-server has them: {@code /tokenize}, {@code /detokenize}, {@code /infill}) and which of its routes are
 * the operators': {@code POST {root}/models/{id}/load} and {@code /unload}.
 *
 * @param root the API's root
 * @param atRoot the full paths of its routes at the HTTP root
 */
public record ApiPaths(String root, java.util.Set<String> atRoot) {

    public ApiPaths {
        atRoot = java.util.Set.copyOf(atRoot);
    }

    /** Whether a request's normalised path is one of the API's. */
    public boolean api(String path) {
        return (path.startsWith(root) && (path.length() == root.length() || path.charAt(root.length()) == '/'))
                || atRoot.contains(path);
    }

    /** Whether a request is an operator's action. */
    public boolean operator(HttpMethod method, String path) {
        if (method != HttpMethod.POST || !path.startsWith(root + "/models/")) {
            return false;
        }
        int id = root.length() + "/models/".length();
        int slash = path.indexOf('/', id);
        if (slash <= id || path.indexOf('/', slash + 1) >= 0) {
            return false;
        }
        String action = path.substring(slash + 1);
        return action.equals("load") || action.equals("unload");
    }
}
