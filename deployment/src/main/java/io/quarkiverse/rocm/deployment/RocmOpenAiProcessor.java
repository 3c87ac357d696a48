package io.quarkiverse.rocm.deployment;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;

import io.quarkiverse.rocm.runtime.access.AccessBeans;
import io.quarkiverse.rocm.runtime.access.ApiAccessPolicy;
import io.quarkiverse.rocm.runtime.access.ApiKeyIdentityProvider;
import io.quarkiverse.rocm.runtime.access.ApiKeyMechanism;
import io.quarkiverse.rocm.runtime.access.ApiPaths;
import io.quarkiverse.rocm.runtime.ollama.OllamaRoutes;
import io.quarkiverse.rocm.runtime.rest.ApiRefusals;
import io.quarkiverse.rocm.runtime.rest.Kind;
import io.quarkiverse.rocm.runtime.rest.OpenAiRecorder;
import io.quarkiverse.rocm.runtime.rest.OpenAiResource;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.SyntheticBeanBuildItem;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.AdditionalIndexedClassesBuildItem;
import io.quarkus.deployment.builditem.CombinedIndexBuildItem;
import io.quarkus.deployment.builditem.RunTimeConfigurationDefaultBuildItem;
import io.quarkus.resteasy.reactive.spi.AdditionalResourceClassBuildItem;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.vertx.http.deployment.spi.RouteBuildItem;
import io.quarkus.vertx.http.runtime.RouteConstants;

/**
 * The OpenAI-compatible API: only with {@code quarkus.rocm.openai.enabled=true}, and only on quarkus-rest. Its POST
 * endpoints are relays to llama-server, registered as Vert.x routes; the models endpoints are a REST resource.
 */
class RocmOpenAiProcessor {

    static final DotName RESOURCE = DotName.createSimple(OpenAiResource.class);

    static class Enabled implements BooleanSupplier {
        RocmBuildTimeConfig config;

        @Override
        public boolean getAsBoolean() {
            return config.openai().enabled();
        }
    }

    @BuildStep(onlyIf = Enabled.class)
    void index(Capabilities capabilities, BuildProducer<AdditionalIndexedClassesBuildItem> index,
            BuildProducer<AdditionalBeanBuildItem> beans) {
        if (!capabilities.isPresent(Capability.REST)) {
            throw new ConfigurationException("quarkus.rocm.openai.enabled=true needs the quarkus-rest extension: add"
                    + " io.quarkus:quarkus-rest to the application, or remove the property.");
        }
        index.produce(new AdditionalIndexedClassesBuildItem(OpenAiResource.class.getName()));
        // indexed alone it would not be a bean, and every call would fail
        beans.produce(AdditionalBeanBuildItem.unremovableOf(OpenAiResource.class));
        // the keys as Quarkus Security identities, and who may call what
        beans.produce(AdditionalBeanBuildItem.builder().setUnremovable().addBeanClasses(AccessBeans.class,
                ApiKeyMechanism.class, ApiKeyIdentityProvider.class, ApiAccessPolicy.class, ApiRefusals.class).build());
    }

    /** Where the API is (below the HTTP root path), for its security policy. */
    @BuildStep(onlyIf = Enabled.class)
    @Record(ExecutionTime.STATIC_INIT)
    SyntheticBeanBuildItem paths(RocmBuildTimeConfig config, OpenAiRecorder recorder) {
        String http = ConfigProvider.getConfig().getOptionalValue("quarkus.http.root-path", String.class).orElse("/");
        http = http.endsWith("/") ? http.substring(0, http.length() - 1) : http;
        java.util.Set<String> atRoot = new java.util.TreeSet<>();
        for (Kind kind : Kind.values()) {
            if (kind.atRoot()) {
                atRoot.add(http + "/" + kind.path());
            }
        }
        if (config.ollama().enabled()) { // its routes need the API's keys too
            for (OllamaRoutes.Route route : OllamaRoutes.Route.values()) {
                atRoot.add(http + ollamaRoot(config) + "/" + route.path());
            }
        }
        return SyntheticBeanBuildItem.configure(ApiPaths.class).scope(Singleton.class).unremovable()
                .supplier(recorder.paths(http + apiRoot(config), atRoot)).done();
    }

    @BuildStep(onlyIf = Enabled.class)
    @Record(ExecutionTime.RUNTIME_INIT)
    void relays(RocmBuildTimeConfig config, OpenAiRecorder recorder, BuildProducer<RouteBuildItem> routes) {
        String root = apiRoot(config);
        // what Quarkus Security refused on any route of the API (the relays and the REST resource's), in its shape
        routes.produce(RouteBuildItem.newApplicationRoute(root + "/*")
                .withOrder(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 2).withRequestHandler(recorder.refusals())
                .asFailureRoute().build());
        for (Kind kind : Kind.values()) {
            List<String> paths = kind.atRoot() ? List.of(root + "/" + kind.path(), "/" + kind.path())
                    : List.of(root + "/" + kind.path());
            for (String path : paths) {
                // before the HTTP server's own body limit (order -2), which would answer a large body with a bare 413
                routes.produce(RouteBuildItem.newApplicationRoute(path)
                        .withOrder(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).withRouteCustomizer(recorder.postOnly())
                        .withRequestHandler(recorder.bodyLimit()).build());
                routes.produce(RouteBuildItem.newApplicationRoute(path).withRouteCustomizer(recorder.postOnly())
                        .withRequestHandler(recorder.relay(kind)).build());
                if (!path.startsWith(root + "/")) { // what Quarkus Security refused there, in the API's shape
                    routes.produce(RouteBuildItem.newApplicationRoute(path)
                            .withOrder(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 2)
                            .withRequestHandler(recorder.refusals()).asFailureRoute().build());
                }
            }
        }
    }

    /** Ollama's API at its root path, beside the OpenAI API (whose keys, limits and metrics it shares). */
    @BuildStep(onlyIf = Enabled.class)
    @Record(ExecutionTime.RUNTIME_INIT)
    void ollama(RocmBuildTimeConfig config, OpenAiRecorder recorder, BuildProducer<RouteBuildItem> routes) {
        if (!config.ollama().enabled()) {
            return;
        }
        String root = ollamaRoot(config);
        for (OllamaRoutes.Route route : OllamaRoutes.Route.values()) {
            String path = root + "/" + route.path();
            routes.produce(RouteBuildItem.newApplicationRoute(path)
                    .withRouteCustomizer(recorder.method(route.method().name()))
                    .withRequestHandler(recorder.ollama(route)).build());
            // what Quarkus Security refused there, in Ollama's shape
            routes.produce(RouteBuildItem.newApplicationRoute(path).withOrder(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 2)
                    .withRequestHandler(recorder.refusals()).asFailureRoute().build());
        }
    }

    /** Ollama's API needs the OpenAI API's keys, limits and routes around it: a clear build error without it. */
    @BuildStep
    @io.quarkus.deployment.annotations.Produce(io.quarkus.deployment.pkg.builditem.ArtifactResultBuildItem.class)
    void ollamaNeedsTheApi(RocmBuildTimeConfig config) {
        if (config.ollama().enabled() && !config.openai().enabled()) {
            throw new ConfigurationException("quarkus.rocm.ollama.enabled=true needs quarkus.rocm.openai.enabled=true"
                    + " (Ollama's API shares the OpenAI API's keys, limits and metrics): set both.");
        }
    }

    static String ollamaRoot(RocmBuildTimeConfig config) {
        String path = config.ollama().rootPath();
        path = path.startsWith("/") ? path : "/" + path;
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /**
     * Quarkus' own per-request HTTP metrics skip the API's paths by default: {@code rocm_requests_total} and its
     * histograms count every API request already, by model and status, and normalising each path costs the request
     * path CPU. An application that sets {@code quarkus.micrometer.binder.http-server.ignore-patterns} decides itself.
     */
    @BuildStep(onlyIf = Enabled.class)
    RunTimeConfigurationDefaultBuildItem skipHttpServerMetrics(RocmBuildTimeConfig config) {
        return new RunTimeConfigurationDefaultBuildItem("quarkus.micrometer.binder.http-server.ignore-patterns",
                Pattern.quote(apiRoot(config)) + "/.+");
    }

    /** The API's root below the HTTP root path: under quarkus.rest.path, where the models resource lives too. */
    static String apiRoot(RocmBuildTimeConfig config) {
        String rest = ConfigProvider.getConfig().getOptionalValue("quarkus.rest.path", String.class).orElse("/");
        return (rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest) + path(config);
    }

    static String path(RocmBuildTimeConfig config) {
        String path = config.openai().path();
        path = path.startsWith("/") ? path : "/" + path;
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    @BuildStep(onlyIf = Enabled.class)
    void resource(RocmBuildTimeConfig config, CombinedIndexBuildItem index,
            BuildProducer<AdditionalResourceClassBuildItem> resources) {
        ClassInfo resource = index.getIndex().getClassByName(RESOURCE);
        resources.produce(new AdditionalResourceClassBuildItem(resource, path(config)));
    }
}
