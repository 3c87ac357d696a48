package io.quarkiverse.rocm.deployment;

import java.util.Optional;
import java.util.function.BooleanSupplier;

import io.quarkiverse.rocm.deployment.kubernetes.KubernetesPlan;
import io.quarkiverse.rocm.deployment.kubernetes.RocmKubernetesDecorators;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.kubernetes.spi.DecoratorBuildItem;

/**
 * GPU limits, the models volume, AMD's device files and a startup probe long enough for a model load, in the
 * manifests {@code quarkus-kubernetes} generates: contributed as Dekorate decorators, only when it is in the
 * application.
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
            BuildProducer<DecoratorBuildItem> decorators) {
        KubernetesPlan plan = plan(config.kubernetes(), models.local());
        if (plan == null) {
            return;
        }
        for (Object decorator : RocmKubernetesDecorators.of(plan)) {
            decorators.produce(new DecoratorBuildItem(decorator));
        }
    }

    /** The plan of the configuration, or null when the manifests get nothing. */
    static KubernetesPlan plan(RocmBuildTimeConfig.Kubernetes k, boolean localModels) {
        if (!k.enabled()) {
            return null;
        }
        int gpus = k.gpus().orElse(localModels ? 1 : 0);
        if (gpus < 0) {
            throw new io.quarkus.runtime.configuration.ConfigurationException("quarkus.rocm.kubernetes.gpus=" + gpus
                    + " must be 0 or more (whole GPUs per pod).", java.util.Set.of("quarkus.rocm.kubernetes.gpus"));
        }
        if (!k.gpuResource().matches("[a-z0-9.-]+/[a-z0-9.-]+")) {
            throw new io.quarkus.runtime.configuration.ConfigurationException("quarkus.rocm.kubernetes.gpu-resource="
                    + k.gpuResource() + " is not an extended resource name: use amd.com/gpu or nvidia.com/gpu.",
                    java.util.Set.of("quarkus.rocm.kubernetes.gpu-resource"));
        }
        int period = 10;
        int threshold = (int) Math.max(1, (k.modelLoadTime().toSeconds() + period - 1) / period);
        return new KubernetesPlan(gpus, k.gpuResource(), gpus > 0 && localModels ? Optional.of(k.modelsClaim())
                : Optional.empty(), k.modelsPath(), period, threshold, k.supplementalGroups());
    }
}
