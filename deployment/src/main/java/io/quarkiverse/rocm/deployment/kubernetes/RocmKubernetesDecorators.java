package io.quarkiverse.rocm.deployment.kubernetes;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;

/**
 * The Dekorate decorators of one deployment target, as the objects {@code DecoratorBuildItem} carries. Loaded only
 * when quarkus-kubernetes (and so Dekorate) is in the application.
 */
public final class RocmKubernetesDecorators {

    private RocmKubernetesDecorators() {
    }

    /**
     * @param app the application's pods, or null when they get nothing
     * @param kind the kind of the application's resource for this target ({@code Deployment}; {@code Service} for
     *        Knative)
     * @param resource its name
     * @param containerNames the names its application container may have
     * @param tier the pooled models' llama-servers
     */
    public static List<Object> of(KubernetesPlan app, String kind, String resource, Set<String> containerNames,
            List<ServerTierPlan> tier) {
        List<Object> decorators = new ArrayList<>();
        if (app != null) {
            decorators.add(new AppContainerDecorator(app, resource, containerNames, apiKeys(tier)));
            decorators.add("Service".equals(kind) ? new AppRevisionDecorator(app, resource)
                    : new AppPodDecorator(app, resource));
        }
        if (!tier.isEmpty()) {
            decorators.add(new ServerTierDecorator(tier));
        }
        return decorators;
    }

    /** The application's {@code api-key} of each tier model, read from the Secret the llama-servers require. */
    private static List<EnvVar> apiKeys(List<ServerTierPlan> tier) {
        List<EnvVar> env = new ArrayList<>();
        for (ServerTierPlan plan : tier) {
            plan.apiKeySecret().ifPresent(secret -> env.add(new EnvVarBuilder().withName(apiKeyVariable(plan.model()))
                    .withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(ServerTierPlan.API_KEY)
                    .endSecretKeyRef().endValueFrom().build()));
        }
        return env;
    }

    /**
     * The environment variable SmallRye Config reads as the model's {@code api-key}: {@code QUARKUS_ROCM_API_KEY} for
     * the default model, {@code QUARKUS_ROCM__CODER__API_KEY} ({@code quarkus.rocm."coder".api-key}) for a named one.
     */
    static String apiKeyVariable(String model) {
        return "default".equals(model) ? "QUARKUS_ROCM_API_KEY"
                : "QUARKUS_ROCM__" + model.toUpperCase().replaceAll("[^A-Z0-9]", "_") + "__API_KEY";
    }
}
