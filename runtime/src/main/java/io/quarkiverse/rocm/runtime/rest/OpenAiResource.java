package io.quarkiverse.rocm.runtime.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.jboss.resteasy.reactive.RestResponse;

import io.quarkiverse.rocm.runtime.config.RocmRuntimeConfig;
import io.quarkiverse.rocm.runtime.gguf.GgufMetadata;
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The OpenAI API's answers that this application builds itself: the models ({@code GET models}, {@code models/{id}})
 * with their GGUF metadata and state. The POST endpoints are relays to llama-server ({@link OpenAiRelay}). Registered
 * under {@code quarkus.rocm.openai.path} (default {@code /v1}) when {@code quarkus.rocm.openai.enabled=true}.
 */
@Singleton
public class OpenAiResource {

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

    private static JsonObject describe(ModelServer s) {
        GgufMetadata m = s.spec().model();
        JsonObject meta = new JsonObject().put("architecture", m.architecture().orElse(null))
                .put("name", m.name().orElse(null)).put("size_label", m.sizeLabel().orElse(null))
                .put("file_type", m.fileType().orElse(null))
                .put("n_ctx_train", m.contextLength().isPresent() ? m.contextLength().getAsLong() : null)
                .put("n_ctx", s.spec().contextSize()).put("parallel", s.spec().parallel())
                .put("size", m.fileSize()).put("embeddings", s.spec().embeddings())
                .put("state", s.state().name().toLowerCase());
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
