package io.quarkiverse.rocm.deployment;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkiverse.rocm.deployment.kubernetes.KubernetesPlan;
import io.quarkiverse.rocm.deployment.kubernetes.RocmKubernetesDecorators;
import io.quarkiverse.rocm.deployment.kubernetes.ServerTierPlan;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.kubernetes.spi.DecoratorBuildItem;
import io.quarkus.kubernetes.spi.KubernetesResourceMetadataBuildItem;

/**
 * GPU limits, the models volume and a startup probe long enough for a model load in the manifests
 * {@code quarkus-kubernetes} generates, and the llama-server tier of pooled models beside them: Dekorate decorators,
 * contributed only when it is in the application, once per deployment target it generates (kubernetes, openshift,
 * knative, and the kind and minikube of their own extensions), each applying to that target's application resource.
 */
public class RocmKubernetesProcessor {

    /** Whether quarkus-kubernetes (and so Dekorate) is on the build's class path. */
    static final class KubernetesPresent implements BooleanSupplier {
        @Override
        public boolean getAsBoolean() {
            try {
                Class.forName("io.dekorate.kubernetes.decorator.Decorator", false,
                        Thread.currentThread().getContextClassLoader());
                return true;
            } catch (ClassNotFoundException e) {
                return false;
            }
        }
    }

    @BuildStep(onlyIf = KubernetesPresent.class)
    void decorate(RocmBuildTimeConfig config, ConfiguredModelsBuildItem models,
            List<KubernetesResourceMetadataBuildItem> resources, BuildProducer<DecoratorBuildItem> decorators) {
        KubernetesPlan app = KubernetesPlans.app(config.kubernetes(), models.local());
        Config mp = ConfigProvider.getConfig();
        for (KubernetesResourceMetadataBuildItem resource : resources) {
            String target = resource.getTarget();
            List<ServerTierPlan> tier = KubernetesPlans.serverTier(config.kubernetes(), resource.getName(),
                    key -> mp.getOptionalValue(key, String.class));
            Set<String> containers = new LinkedHashSet<>(List.of(resource.getName()));
            Optional<String> renamed = mp.getOptionalValue("quarkus." + target + ".container-name", String.class);
            renamed.ifPresent(containers::add);
            for (Object decorator : RocmKubernetesDecorators.of(app, resource.getKind(), resource.getName(), containers,
                    tier)) {
                decorators.produce(new DecoratorBuildItem(target, decorator));
            }
        }
    }
}
