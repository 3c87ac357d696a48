package io.quarkiverse.rocm.deployment.kubernetes;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The llama-servers of one pooled model, as the build writes them: a StatefulSet of {@code replicas} pods behind a
 * headless Service of the same name, so that pod {@code i} answers at {@code http://<name>-<i>.<name>:<port>}, the
 * URLs the application lists in the model's {@code urls}; and a NetworkPolicy that lets only the application's pods
 * reach them. Plain values, decided by {@link ServerTierPlanner}.
 *
 * @param name the StatefulSet's, headless Service's and NetworkPolicy's name (a DNS label)
 * @param model the model's name in this application ({@code default} for the default model)
 * @param application the application's resource name: its pods' {@code app.kubernetes.io/name} label
 * @param image llama-server's container image (its entrypoint is llama-server)
 * @param replicas how many llama-servers
 * @param port where each listens
 * @param arguments llama-server's arguments: the model, its alias and the flags its configuration implies
 * @param app the GPUs, the models volume, the startup budget and the groups, as the application's pods get them
 * @param apiKeySecret the Secret whose {@code api-key} both tiers share, when there is one
 */
public record ServerTierPlan(String name, String model, String application, String image, int replicas, int port,
        List<String> arguments, KubernetesPlan app, Optional<String> apiKeySecret) {

    /** The key of the Secret that holds the API key. */
    public static final String API_KEY = "api-key";
    /** Where llama-server reads it ({@code --api-key-file}). */
    public static final String API_KEY_DIRECTORY = "/etc/llama-server";

    public ServerTierPlan {
        arguments = List.copyOf(arguments);
    }

    /** Each replica's URL: the pods' stable names behind the headless Service. */
    public List<URI> urls() {
        List<URI> urls = new ArrayList<>(replicas);
        for (int i = 0; i < replicas; i++) {
            urls.add(URI.create("http://" + name + "-" + i + "." + name + ":" + port));
        }
        return urls;
    }
}
