package io.quarkiverse.rocm.runtime.spec;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.quarkiverse.rocm.runtime.config.ModelConfig;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * The remote llama-servers of a model this application does not start ({@code quarkus.rocm."name".urls}), validated.
 *
 * @param property the property that lists them, for messages
 * @param urls each replica's base URL ({@code http://gpu-a:8080}, or with a path prefix behind a gateway)
 * @param apiKey their API key, or null
 * @param balance how requests are spread
 * @param affinitySlack how much busier than the least busy replica the one holding a prefix may be
 */
public record PoolSpec(String property, List<URI> urls, String apiKey, ModelConfig.Balance balance, int affinitySlack) {

    public PoolSpec {
        urls = List.copyOf(urls);
    }

    /**
     * Parses the URLs: {@code http} or {@code https}, a host, no query.
     *
     * @throws ConfigurationException naming the property and the bad entry
     */
    public static PoolSpec parse(String property, List<String> entries, String apiKey, ModelConfig.Balance balance,
            int affinitySlack, String slackProperty) {
        List<URI> urls = new ArrayList<>();
        for (String raw : entries) {
            String entry = raw.strip();
            URI uri;
            try {
                uri = URI.create(entry.endsWith("/") ? entry.substring(0, entry.length() - 1) : entry);
            } catch (IllegalArgumentException e) {
                uri = null;
            }
            if (uri == null || uri.getHost() == null || uri.getQuery() != null || uri.getFragment() != null
                    || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new ConfigurationException(property + " has '" + raw + "', which is not the base URL of a"
                        + " llama-server: list each replica as http://host:port (or https://), separated by commas.",
                        Set.of(property));
            }
            if (urls.contains(uri)) {
                throw new ConfigurationException(property + " lists " + uri + " twice: each replica once.",
                        Set.of(property));
            }
            urls.add(uri);
        }
        if (urls.isEmpty()) {
            throw new ConfigurationException(property + " is empty: list the replicas' URLs, or remove it to have this"
                    + " application start the model's llama-server itself.", Set.of(property));
        }
        if (affinitySlack < 0) {
            throw new ConfigurationException(slackProperty + "=" + affinitySlack + " must be 0 or more.",
                    Set.of(slackProperty));
        }
        return new PoolSpec(property, urls, apiKey, balance, affinitySlack);
    }
}
