package io.quarkiverse.rocm.runtime.rest;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.jboss.resteasy.reactive.RestResponse;

import io.quarkiverse.rocm.runtime.config.RocmRuntimeConfig;
import io.quarkiverse.rocm.runtime.gguf.GgufMetadata;
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.quarkiverse.rocm.runtime.server.ModelStatus;
import io.quarkiverse.rocm.runtime.spec.Adapters;
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

    private volatile ModelLookup models;

    @GET
    @Path("models")
    public RestResponse<Buffer> models() {
        JsonArray data = new JsonArray();
        for (ModelServer s : servers.all()) {
            data.add(describe(s));
            s.spec().adapters().list().forEach(a -> data.add(describe(s, a)));
        }
        return json(new JsonObject().put("object", "list").put("data", data).toBuffer());
    }

    @GET
    @Path("models/{model}")
    public RestResponse<Buffer> model(@PathParam("model") String model) {
        return lookup().find(model).map(s -> json(s.spec().adapters().named(model).map(a -> describe(s, a))
                .orElseGet(() -> describe(s)).toBuffer()))
                .orElseGet(() -> response(lookup().notFound(model)));
    }

    /** Loads a model now (an operator's request), making room as a request would; answers once it is loaded. */
    @POST
    @Path("models/{model}/load")
    public Uni<RestResponse<Buffer>> load(@PathParam("model") String model) {
        return operate(model, true);
    }

    /** Unloads a model now (an operator's request); a model serving requests is not interrupted: 409. */
    @POST
    @Path("models/{model}/unload")
    public Uni<RestResponse<Buffer>> unload(@PathParam("model") String model) {
        return operate(model, false);
    }

    private Uni<RestResponse<Buffer>> operate(String model, boolean load) {
        Optional<ModelServer> server = lookup().find(model);
        if (server.isEmpty()) {
            return Uni.createFrom().item(response(lookup().notFound(model)));
        }
        ModelServer s = server.get();
        if (!s.loadable()) {
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

    private ModelLookup lookup() {
        ModelLookup m = models;
        if (m == null) {
            m = models = new ModelLookup(servers);
        }
        return m;
    }

    private JsonObject describe(ModelServer s) {
        ModelStatus st = ModelStatus.of(s, servers.scheduler());
        JsonObject meta = new JsonObject();
        long created = STARTED;
        if (st.file().isPresent()) {
            GgufMetadata m = st.file().get();
            meta.put("architecture", m.architecture().orElse(null)).put("name", m.name().orElse(null))
                    .put("size_label", m.sizeLabel().orElse(null)).put("file_type", m.fileType().orElse(null))
                    .put("n_ctx_train", m.contextLength().isPresent() ? m.contextLength().getAsLong() : null)
                    .put("n_ctx", st.contextSize()).put("parallel", st.parallel()).put("size", m.fileSize())
                    .put("embeddings", st.embeddings()).put("state", st.word());
            created = m.path().toFile().lastModified() / 1000;
        } else { // what the replicas said about themselves; no file here
            meta.put("n_ctx", st.reportedContext()).put("parallel", st.parallel()).put("embeddings", st.embeddings())
                    .put("state", st.word()).put("replicas", st.replicas().size())
                    .put("replicas_in_rotation", st.replicasInRotation());
        }
        if (st.unloadAtNanos() >= 0) { // when the idle model will be unloaded (its keep-alive), in epoch seconds
            meta.put("expires_at",
                    (System.currentTimeMillis() + (st.unloadAtNanos() - System.nanoTime()) / 1_000_000) / 1000);
        }
        return new JsonObject().put("id", st.alias()).put("object", "model").put("created", created)
                .put("owned_by", "quarkus-rocm").put("capabilities", new io.vertx.core.json.JsonArray(
                        io.quarkiverse.rocm.runtime.server.Capabilities.of(s)))
                .put("meta", meta);
    }

    /**
     * A LoRA adapter as a model of its own: {@code parent} names its base model and {@code root} its file (vLLM's
     * convention); its state is its base's.
     */
    private JsonObject describe(ModelServer s, Adapters.Adapter a) {
        JsonObject d = describe(s).put("id", a.name()).put("parent", s.spec().alias()).put("root", a.file().toString());
        d.getJsonObject("meta").put("lora", new JsonObject().put("id", a.id()).put("scale", a.scale())
                .put("size", a.bytes()));
        return d;
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
