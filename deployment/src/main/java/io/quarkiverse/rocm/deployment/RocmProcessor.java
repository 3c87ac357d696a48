package io.quarkiverse.rocm.deployment;

import java.util.Optional;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkiverse.rocm.runtime.RocmRecorder;
import io.quarkiverse.rocm.runtime.health.RocmLivenessCheck;
import io.quarkiverse.rocm.runtime.health.RocmReadinessCheck;
import io.quarkiverse.rocm.runtime.health.RocmStartupCheck;
import io.quarkiverse.rocm.runtime.metrics.RocmMetrics;
import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.quarkiverse.rocm.runtime.tracing.ExchangeTracer;
import io.quarkiverse.rocm.runtime.tracing.ModelTracer;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.SyntheticBeanBuildItem;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.builditem.LaunchModeBuildItem;
import io.quarkus.deployment.builditem.RunTimeConfigurationDefaultBuildItem;
import io.quarkus.deployment.builditem.ServiceStartBuildItem;
import io.quarkus.deployment.builditem.ShutdownContextBuildItem;
import io.quarkus.deployment.metrics.MetricsCapabilityBuildItem;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.RuntimeValue;
import io.quarkus.runtime.metrics.MetricsFactory;
import io.quarkus.smallrye.health.deployment.spi.HealthBuildItem;
import io.quarkus.vertx.core.deployment.CoreVertxBuildItem;

class RocmProcessor {

    static final String FEATURE = "rocm";

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    @BuildStep
    ConfiguredModelsBuildItem configuredModels() {
        return ConfiguredModelsBuildItem.scan(ConfigProvider.getConfig());
    }

    /**
     * Vert.x on Linux's epoll rather than Java NIO: fewer system calls per streamed token, and the Unix domain sockets
     * to the local llama-servers ({@code quarkus.rocm.unix-socket}). A default: an application may set it false.
     */
    @BuildStep
    RunTimeConfigurationDefaultBuildItem preferNativeTransport() {
        return new RunTimeConfigurationDefaultBuildItem("quarkus.vertx.prefer-native-transport", "true");
    }

    @BuildStep
    void healthChecks(Capabilities capabilities, RocmBuildTimeConfig config, BuildProducer<HealthBuildItem> health) {
        if (capabilities.isPresent(Capability.SMALLRYE_HEALTH)) {
            boolean enabled = config.health().enabled();
            health.produce(new HealthBuildItem(RocmLivenessCheck.class.getName(), enabled));
            health.produce(new HealthBuildItem(RocmReadinessCheck.class.getName(), enabled));
            health.produce(new HealthBuildItem(RocmStartupCheck.class.getName(), enabled));
        }
    }

    @BuildStep
    void metrics(Optional<MetricsCapabilityBuildItem> metrics, RocmBuildTimeConfig config,
            BuildProducer<AdditionalBeanBuildItem> beans) {
        if (config.metrics().enabled() && metrics.isPresent()
                && metrics.get().metricsSupported(MetricsFactory.MICROMETER)) {
            beans.produce(AdditionalBeanBuildItem.unremovableOf(RocmMetrics.class));
        }
    }

    /** GenAI spans of the requests and of the models' loads, only with quarkus-opentelemetry's tracer. */
    @BuildStep
    void tracing(Capabilities capabilities, BuildProducer<AdditionalBeanBuildItem> beans) {
        if (capabilities.isPresent(Capability.OPENTELEMETRY_TRACER)) {
            beans.produce(AdditionalBeanBuildItem.builder().setUnremovable()
                    .addBeanClasses(ExchangeTracer.class, ModelTracer.class).build());
        }
    }

    @BuildStep
    @Record(ExecutionTime.RUNTIME_INIT)
    ServiceStartBuildItem startServers(RocmRecorder recorder, ShutdownContextBuildItem shutdown,
            LaunchModeBuildItem launchMode, AiServicesWithToolsBuildItem toolUsers, CoreVertxBuildItem vertx,
            BuildProducer<SyntheticBeanBuildItem> beans) {
        RuntimeValue<ModelServers> servers = recorder.start(shutdown, vertx.getVertx(),
                launchMode.getLaunchMode() == LaunchMode.DEVELOPMENT, toolUsers.byModel());
        beans.produce(SyntheticBeanBuildItem.configure(ModelServers.class).scope(Singleton.class).setRuntimeInit()
                .unremovable().runtimeValue(servers).done());
        return new ServiceStartBuildItem(FEATURE);
    }
}
