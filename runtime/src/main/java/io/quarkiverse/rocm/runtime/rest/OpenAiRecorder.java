package io.quarkiverse.rocm.runtime.rest;

import java.util.function.Consumer;
import java.util.function.Supplier;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkiverse.rocm.runtime.access.ApiPaths;
import io.quarkiverse.rocm.runtime.client.LlamaServerClients;
import io.quarkiverse.rocm.runtime.config.RocmRuntimeConfig;
import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.quarkus.runtime.RuntimeValue;
import io.quarkus.runtime.annotations.Recorder;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;

/** The OpenAI API's routes (only recorded when the API is enabled, and so only with quarkus-rest and Vert.x Web). */
@Recorder
public class OpenAiRecorder {

    private final RuntimeValue<RocmRuntimeConfig> config;

    public OpenAiRecorder(RuntimeValue<RocmRuntimeConfig> config) {
        this.config = config;
    }

    /** The relay of one POST endpoint; its beans are looked up at the first request. */
    public Handler<RoutingContext> relay(Kind kind) {
        return new Handler<>() {
            private volatile OpenAiRelay relay;

            @Override
            public void handle(RoutingContext ctx) {
                OpenAiRelay r = relay;
                if (r == null) {
                    ArcContainer arc = Arc.container();
                    LlamaServerClients clients = arc.instance(LlamaServerClients.class).get();
                    r = relay = new OpenAiRelay(kind, config.getValue().openai(), arc.instance(ModelServers.class).get(),
                            clients, clients.observer(), config.getValue().captureContent());
                }
                r.handle(ctx);
            }
        };
    }

    /** One route of Ollama's API; its beans are looked up at the first request. */
    public Handler<RoutingContext> ollama(io.quarkiverse.rocm.runtime.ollama.OllamaRoutes.Route route) {
        return new Handler<>() {
            private volatile io.quarkiverse.rocm.runtime.ollama.OllamaRoutes handler;

            @Override
            public void handle(RoutingContext ctx) {
                io.quarkiverse.rocm.runtime.ollama.OllamaRoutes h = handler;
                if (h == null) {
                    ArcContainer arc = Arc.container();
                    h = handler = new io.quarkiverse.rocm.runtime.ollama.OllamaRoutes(route,
                            arc.instance(ModelServers.class).get(), arc.instance(LlamaServerClients.class).get(),
                            config.getValue().openai().timeout().toMillis(),
                            config.getValue().openai().maxBodySize().asLongValue(),
                            config.getValue().ollama().keepAliveFrom(), config.getValue().openai().operatorRole());
                }
                h.handle(ctx);
            }
        };
    }

    /** Restricts a route to a method. */
    public Consumer<Route> method(String method) {
        return new Consumer<>() {
            @Override
            public void accept(Route route) {
                route.method(HttpMethod.valueOf(method));
            }
        };
    }

    /** The API's refusals (what Quarkus Security forbade) in OpenAI's shape: the failure handler of its routes. */
    public Handler<RoutingContext> refusals() {
        return new Handler<>() {
            private volatile ApiRefusals refusals;

            @Override
            public void handle(RoutingContext ctx) {
                ApiRefusals r = refusals;
                if (r == null) {
                    r = refusals = Arc.container().instance(ApiRefusals.class).get();
                }
                r.handle(ctx);
            }
        };
    }

    /** Where the API is, for its security policy. */
    public Supplier<ApiPaths> paths(String root, java.util.Set<String> atRoot) {
        return new Supplier<>() {
            @Override
            public ApiPaths get() {
                return new ApiPaths(root, atRoot);
            }
        };
    }

    /** Refuses bodies above the API's or the HTTP server's limit in OpenAI's shape. */
    public Handler<RoutingContext> bodyLimit() {
        long server = ConfigProvider.getConfig().getOptionalValue("quarkus.http.limits.max-body-size", MemorySize.class)
                .map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
        return new OpenAiBodyLimit(config.getValue().openai().maxBodySize().asLongValue(), server);
    }

    /** Restricts a route to POST. */
    public Consumer<Route> postOnly() {
        return new Consumer<>() {
            @Override
            public void accept(Route route) {
                route.method(HttpMethod.POST);
            }
        };
    }
}
