package io.quarkiverse.rocm.deployment;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.quarkiverse.rocm.deployment.kubernetes.KubernetesPlan;
import io.quarkiverse.rocm.deployment.kubernetes.ServerTierPlan;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * From {@code quarkus.rocm.kubernetes.*} (and the pooled models' own properties) to what the manifests get, with
 * every bad value named by its property: the application's pods ({@link KubernetesPlan}) and the llama-server tier of
 * each pooled model ({@link ServerTierPlan}).
 */
final class KubernetesPlans {

    static final String PREFIX = "quarkus.rocm.kubernetes.";
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    // a StatefulSet's pods carry controller-revision-hash=<name>-<10 characters>, a label value of at most 63
    private static final int MAX_STATEFUL_SET_NAME = 52;

    private KubernetesPlans() {
    }

    /** The application's pods, or null when the manifests get nothing ({@code enabled=false}). */
    static KubernetesPlan app(RocmBuildTimeConfig.Kubernetes k, boolean localModels) {
        if (!k.enabled()) {
            return null;
        }
        int gpus = k.gpus().orElse(localModels ? 1 : 0);
        if (gpus < 0) {
            throw new ConfigurationException(PREFIX + "gpus=" + gpus + " must be 0 or more (whole GPUs per pod).",
                    Set.of(PREFIX + "gpus"));
        }
        gpuResource(k.gpuResource(), PREFIX + "gpu-resource");
        return new KubernetesPlan(gpus, k.gpuResource(), gpus > 0 && localModels ? Optional.of(k.modelsClaim())
                : Optional.empty(), k.modelsPath(), 10, startupThreshold(k, 10), k.supplementalGroups());
    }

    /**
     * The llama-server tier of each model {@code server-tier} lists, checked against the application's configuration
     * ({@code property} reads it): the model is served by remote replicas whose {@code urls} are exactly the tier's.
     *
     * @param application the application's resource name, whose pods alone may reach the tier
     */
    static List<ServerTierPlan> serverTier(RocmBuildTimeConfig.Kubernetes k, String application,
            Function<String, Optional<String>> property) {
        List<ServerTierPlan> plans = new ArrayList<>();
        if (!k.enabled()) {
            return plans;
        }
        RocmBuildTimeConfig.ServerTier tier = k.serverTier();
        String resource = tier.gpuResource().orElse(k.gpuResource());
        gpuResource(resource, PREFIX + "server-tier.gpu-resource");
        if (tier.gpus() < 0) {
            throw new ConfigurationException(PREFIX + "server-tier.gpus=" + tier.gpus() + " must be 0 or more.",
                    Set.of(PREFIX + "server-tier.gpus"));
        }
        KubernetesPlan pods = new KubernetesPlan(tier.gpus(), resource, Optional.of(k.modelsClaim()), k.modelsPath(),
                10, startupThreshold(k, 10), k.supplementalGroups());
        String image = tier.image().orElse("ghcr.io/ggml-org/llama.cpp:" + (tier.gpus() == 0 ? "server"
                : resource.startsWith("amd.com/") ? "server-rocm"
                        : resource.startsWith("nvidia.com/") ? "server-cuda"
                                : "server-vulkan"));
        for (Map.Entry<String, RocmBuildTimeConfig.TierModel> e : tier.models().entrySet()) {
            plans.add(model(e.getKey(), e.getValue(), pods, tier, image, application, new ModelProperties(e.getKey(),
                    property)));
        }
        return plans;
    }

    private static ServerTierPlan model(String model, RocmBuildTimeConfig.TierModel m, KubernetesPlan pods,
            RocmBuildTimeConfig.ServerTier tier, String image, String application, ModelProperties props) {
        String at = PREFIX + "server-tier." + (model.matches("[a-z0-9-]+") ? model : "\"" + model + "\"") + ".";
        String name = m.name().orElse("llama-" + model.toLowerCase().replaceAll("[^a-z0-9-]+", "-"));
        if (!DNS_LABEL.matcher(name).matches() || name.length() > MAX_STATEFUL_SET_NAME) {
            throw new ConfigurationException(at + "name=" + name + " is not a StatefulSet name: a DNS label (lowercase"
                    + " letters, digits, dashes, starting with a letter) of at most " + MAX_STATEFUL_SET_NAME
                    + " characters.", Set.of(at + "name"));
        }
        if (m.replicas() < 1) {
            throw new ConfigurationException(at + "replicas=" + m.replicas() + " must be at least 1.",
                    Set.of(at + "replicas"));
        }
        String root = pods.modelsPath().endsWith("/") ? pods.modelsPath() : pods.modelsPath() + "/";
        if (!m.modelPath().startsWith(root)) {
            throw new ConfigurationException(at + "model-path=" + m.modelPath() + " is not inside the models volume:"
                    + " give the GGUF's path below " + PREFIX + "models-path=" + pods.modelsPath() + ".",
                    Set.of(at + "model-path"));
        }
        for (String local : List.of("model.path", "model.dir", "model.file", "model.hf-repo")) {
            if (props.get(local).isPresent()) {
                throw new ConfigurationException(at + "model-path and " + props.key(local) + " are both set: the"
                        + " server tier is for a model the application reaches through urls; remove "
                        + props.key(local) + ".", Set.of(props.key(local)));
            }
        }
        ServerTierPlan plan = new ServerTierPlan(name, model, application, image, m.replicas(), tier.port(),
                arguments(m, props, tier), pods, tier.apiKeySecret());
        checkUrls(at, plan, props);
        return plan;
    }

    /** llama-server's arguments: what the model's configuration implies, as the local servers get it. */
    private static List<String> arguments(RocmBuildTimeConfig.TierModel m, ModelProperties props,
            RocmBuildTimeConfig.ServerTier tier) {
        int parallel = Integer.parseInt(props.get("parallel").orElse("1"));
        boolean unified = Boolean.parseBoolean(props.get("kv-unified").orElse("false"));
        long context = Long.parseLong(props.get("context-size").orElse("4096"));
        String alias = props.get("model.alias").orElse(props.model());
        List<String> args = new ArrayList<>(List.of("--model", m.modelPath(), "--alias", alias, "--host", "0.0.0.0",
                "--port", Integer.toString(tier.port()), "--ctx-size", Long.toString(unified ? context : context * parallel),
                "--parallel", Integer.toString(parallel), unified ? "--kv-unified" : "--no-kv-unified", "--metrics",
                "--no-webui"));
        props.get("gpu-layers").ifPresent(l -> args.addAll(List.of("--n-gpu-layers", l)));
        props.get("flash-attention").ifPresent(f -> args.addAll(List.of("--flash-attn", f)));
        if (Boolean.parseBoolean(props.get("embeddings").orElse("false"))) {
            args.add("--embeddings");
        }
        props.get("pooling").ifPresent(p -> args.addAll(List.of("--pooling", p)));
        tier.apiKeySecret().ifPresent(s -> args.addAll(List.of("--api-key-file",
                ServerTierPlan.API_KEY_DIRECTORY + "/" + ServerTierPlan.API_KEY)));
        m.args().ifPresent(args::addAll);
        return args;
    }

    /** The model's {@code urls} must name exactly the tier's pods (a longer domain, with the namespace, is fine). */
    private static void checkUrls(String at, ServerTierPlan plan, ModelProperties props) {
        String key = props.key("urls");
        String wanted = key + "=" + String.join(",", plan.urls().stream().map(URI::toString).toList());
        Optional<String> urls = props.get("urls");
        if (urls.isEmpty()) {
            throw new ConfigurationException(at + "model-path generates " + plan.replicas() + " llama-servers for"
                    + " the model '" + plan.model() + "', which the application reaches through " + key
                    + ", which is not set: set " + wanted, Set.of(key));
        }
        List<URI> expected = plan.urls();
        List<String> listed = List.of(urls.get().split(","));
        List<URI> matched = new ArrayList<>();
        for (String raw : listed) {
            String entry = raw.strip().replaceAll("/+$", "");
            URI uri = URI.create(entry);
            expected.stream().filter(x -> "http".equals(uri.getScheme()) && uri.getPort() == x.getPort()
                    && uri.getHost() != null && (uri.getHost().equals(x.getHost())
                            || uri.getHost().startsWith(x.getHost() + "."))
                    && (uri.getPath() == null || uri.getPath().isEmpty()))
                    .findFirst().ifPresent(matched::add);
        }
        if (matched.size() != listed.size() || !matched.containsAll(expected)) {
            throw new ConfigurationException(key + "=" + urls.get() + " is not the server tier that " + at
                    + "model-path generates (" + plan.replicas() + " replicas of " + plan.name() + " on port "
                    + plan.port() + "): set " + wanted, Set.of(key));
        }
    }

    private static int startupThreshold(RocmBuildTimeConfig.Kubernetes k, int period) {
        return (int) Math.max(1, (k.modelLoadTime().toSeconds() + period - 1) / period);
    }

    private static void gpuResource(String resource, String property) {
        if (!resource.matches("[a-z0-9.-]+/[a-z0-9.-]+")) {
            throw new ConfigurationException(property + "=" + resource + " is not an extended resource name: use"
                    + " amd.com/gpu or nvidia.com/gpu.", Set.of(property));
        }
    }

    /** A model's runtime properties as the build sees them ({@code default}: the default model's). */
    record ModelProperties(String model, Function<String, Optional<String>> property) {

        String key(String suffix) {
            return "default".equals(model) ? "quarkus.rocm." + suffix
                    : "quarkus.rocm." + (model.matches("[a-zA-Z0-9-_]+") ? model : "\"" + model + "\"") + "." + suffix;
        }

        Optional<String> get(String suffix) {
            Optional<String> value = property.apply(key(suffix));
            return value.isPresent() || "default".equals(model) ? value
                    : property.apply("quarkus.rocm.\"" + model + "\"." + suffix);
        }
    }
}
