package io.quarkiverse.rocm.runtime.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.jboss.resteasy.reactive.RestResponse;

import io.quarkiverse.rocm.runtime.config.RocmRuntimeConfig;
import io.quarkiverse.rocm.runtime.gguf.GgufMetadata;
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.quarkiverse.rocm.runtime.server.Scheduler;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The OpenAI API's answers that this application builds itself: the models ({@code GET models}, {@code models/{id}})
 * with their GGUF metadata, state and planned unload time, and the operators' {@code models/{id}/load} and
 * {@code /unload}. The POST endpoints are relays to llama-server ({@link OpenAiRelay}). Registered
 * under {@code quarkus.rocm.openai.path} (default {@code /v1}) when {@code quarkus.rocm.openai.enabled=true}.
 */
@Singleton
public class OpenAiResource {

    /** When this application started, in epoch seconds: the {@code created} of remote models. */
    private static final long STARTED = System.currentTimeMillis() / 1000;

    @Inject
    ModelServers servers;

    @Inject
    RocmRuntimeConfig config;

    private volatile ApiKeys keys;

    @GET
    @Path("models")
    public RestResponse<Buffer> models(@HeaderParam("Authorization") String authorization) {
        OpenAiErrors.Answer denied = keys().check(authorization);
        if (denied != null) {
            return response(denied);
        }
        JsonArray data = new JsonArray();
        servers.all().forEach(s -> data.add(describe(s)));
        return json(new JsonObject().put("object", "list").put("data", data).toBuffer());
    }

    @GET
    @Path("models/{model}")
    public RestResponse<Buffer> model(@PathParam("model") String model,
            @HeaderParam("Authorization") String authorization) {
        OpenAiErrors.Answer denied = keys().check(authorization);
        if (denied != null) {
            return response(denied);
        }
        return servers.byAlias(model).map(s -> json(describe(s).toBuffer()))
                .orElseGet(() -> response(OpenAiErrors.modelNotFound(model, aliases())));
    }

    /** Loads a model now (an operator's request), making room as a request would; answers once it is loaded. */
    @POST
    @Path("models/{model}/load")
    public Uni<RestResponse<Buffer>> load(@PathParam("model") String model,
            @HeaderParam("Authorization") String authorization) {
        return operate(model, authorization, true);
    }

    /** Unloads a model now (an operator's request); a model serving requests is not interrupted: 409. */
    @POST
    @Path("models/{model}/unload")
    public Uni<RestResponse<Buffer>> unload(@PathParam("model") String model,
            @HeaderParam("Authorization") String authorization) {
        return operate(model, authorization, false);
    }

    private Uni<RestResponse<Buffer>> operate(String model, String authorization, boolean load) {
        OpenAiErrors.Answer denied = keys().check(authorization);
        if (denied != null) {
            return Uni.createFrom().item(response(denied));
        }
        Optional<ModelServer> server = servers.byAlias(model);
        if (server.isEmpty()) {
            return Uni.createFrom().item(response(OpenAiErrors.modelNotFound(model, aliases())));
        }
        ModelServer s = server.get();
        if (s.spec().remote()) {
            return Uni.createFrom().item(response(OpenAiErrors.of(409, "invalid_request_error", "model_remote", null,
                    "Model '" + model + "' is served by remote llama-servers (" + s.spec().property("urls")
                            + "): this application does not load or unload it.")));
        }
        CompletableFuture<Void> done = load ? servers.scheduler().load(s.name()) : servers.scheduler().unload(s.name());
        return Uni.createFrom().completionStage(done).map(v -> json(describe(s).toBuffer()))
                .onFailure().recoverWithItem(e -> {
                    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                            ? e.getCause()
                            : e;
                    return response(load ? OpenAiErrors.of(503, "server_error", "model_unavailable", null,
                            "Model '" + model + "' could not be loaded: " + cause.getMessage())
                            : OpenAiErrors.of(409, "invalid_request_error", "model_busy", null, cause.getMessage()));
                });
    }

    private ApiKeys keys() {
        ApiKeys k = keys;
        if (k == null) {
            k = keys = new ApiKeys(config.openai().apiKeys());
        }
        return k;
    }

    private List<String> aliases() {
        List<String> out = new ArrayList<>();
        servers.all().forEach(s -> out.add(s.spec().alias()));
        return out;
    }

    /** {@code loaded}, {@code loading}, {@code unloaded} or {@code failed}. */
    private String state(ModelServer s) {
        return switch (s.state()) {
            case READY -> "loaded";
            case STARTING, RESTARTING -> "loading";
            case FAILED -> "failed";
            case STOPPING -> "unloaded";
            case STOPPED -> !s.spec().remote() && servers.scheduler().status(s.name()) == Scheduler.Status.FAILED
                    ? "failed"
                    : "unloaded";
        };
    }

    private JsonObject describe(ModelServer s) {
        if (s.spec().remote()) { // what the replicas said about themselves; no file here
            JsonObject meta = new JsonObject().put("n_ctx", s.props().map(p -> p.contextSize()).orElse(null))
                    .put("parallel", s.spec().parallel()).put("embeddings", s.spec().embeddings())
                    .put("state", state(s)).put("replicas", s.spec().pool().urls().size())
                    .put("replicas_in_rotation", s.pool().orElseThrow().inRotation());
            return new JsonObject().put("id", s.spec().alias()).put("object", "model").put("created", STARTED)
                    .put("owned_by", "quarkus-rocm").put("meta", meta);
        }
        GgufMetadata m = s.spec().model();
        JsonObject meta = new JsonObject().put("architecture", m.architecture().orElse(null))
                .put("name", m.name().orElse(null)).put("size_label", m.sizeLabel().orElse(null))
                .put("file_type", m.fileType().orElse(null))
                .put("n_ctx_train", m.contextLength().isPresent() ? m.contextLength().getAsLong() : null)
                .put("n_ctx", s.spec().contextSize()).put("parallel", s.spec().parallel())
                .put("size", m.fileSize()).put("embeddings", s.spec().embeddings())
                .put("state", state(s));
        long unloadAt = servers.scheduler().unloadAt(s.name());
        if (unloadAt >= 0) { // when the idle model will be unloaded (its keep-alive), in OpenAI's epoch seconds
            meta.put("expires_at", (System.currentTimeMillis() + (unloadAt - System.nanoTime()) / 1_000_000) / 1000);
        }
        long created = m.path().toFile().lastModified() / 1000;
        return new JsonObject().put("id", s.spec().alias()).put("object", "model").put("created", created)
                .put("owned_by", "quarkus-rocm").put("meta", meta);
    }

    private static RestResponse<Buffer> json(Buffer body) {
        return RestResponse.ResponseBuilder.ok(body).header("Content-Type", "application/json").build();
    }

    private static RestResponse<Buffer> response(OpenAiErrors.Answer answer) {
        RestResponse.ResponseBuilder<Buffer> b = RestResponse.ResponseBuilder.<Buffer> create(answer.status())
                .entity(answer.body());
        for (Map.Entry<String, List<String>> h : answer.headers().entrySet()) {
            h.getValue().forEach(v -> b.header(h.getKey(), v));
        }
        return b.build();
    }
}
