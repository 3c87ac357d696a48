package io.quarkiverse.rocm.runtime.rest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestMulti;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkiverse.rocm.runtime.client.ExchangeObserver;
import io.quarkiverse.rocm.runtime.client.LlamaServerClient;
import io.quarkiverse.rocm.runtime.client.LlamaServerClients;
import io.quarkiverse.rocm.runtime.client.UpstreamException;
import io.quarkiverse.rocm.runtime.config.OpenAiConfig;
import io.quarkiverse.rocm.runtime.config.RocmRuntimeConfig;
import io.quarkiverse.rocm.runtime.gguf.GgufMetadata;
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The OpenAI-compatible API on the application's own HTTP server: chat completions (whole or streamed), completions,
 * models and embeddings, routed by {@code model} to the configured llama-servers. Registered under
 * {@code quarkus.rocm.openai.path} (default {@code /v1}) when {@code quarkus.rocm.openai.enabled=true}.
 */
@Singleton
public class OpenAiResource {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Map<String, List<String>> JSON = Map.of("Content-Type", List.of("application/json"));

    @Inject
    LlamaServerClients clients;

    @Inject
    ModelServers servers;

    @Inject
    RocmRuntimeConfig config;

    @Inject
    jakarta.enterprise.inject.Instance<ExchangeObserver> observers;

    @POST
    @Path("chat/completions")
    @Consumes(MediaType.WILDCARD)
    public RestMulti<Buffer> chatCompletions(byte[] body, @HeaderParam("Authorization") String authorization) {
        return relay(OpenAiRequests.Kind.CHAT, "/v1/chat/completions", body, authorization);
    }

    @POST
    @Path("completions")
    @Consumes(MediaType.WILDCARD)
    public RestMulti<Buffer> completions(byte[] body, @HeaderParam("Authorization") String authorization) {
        return relay(OpenAiRequests.Kind.COMPLETION, "/v1/completions", body, authorization);
    }

    @POST
    @Path("embeddings")
    @Consumes(MediaType.WILDCARD)
    public RestMulti<Buffer> embeddings(byte[] body, @HeaderParam("Authorization") String authorization) {
        return relay(OpenAiRequests.Kind.EMBEDDINGS, "/v1/embeddings", body, authorization);
    }

    @GET
    @Path("models")
    public RestMulti<Buffer> models(@HeaderParam("Authorization") String authorization) {
        OpenAiErrors.Answer denied = authorize(authorization);
        if (denied != null) {
            return error(denied);
        }
        JsonArray data = new JsonArray();
        servers.all().forEach(s -> data.add(describe(s)));
        return whole(200, new JsonObject().put("object", "list").put("data", data).toBuffer());
    }

    @GET
    @Path("models/{model}")
    public RestMulti<Buffer> model(@PathParam("model") String model, @HeaderParam("Authorization") String authorization) {
        OpenAiErrors.Answer denied = authorize(authorization);
        if (denied != null) {
            return error(denied);
        }
        return servers.byAlias(model).map(s -> whole(200, describe(s).toBuffer()))
                .orElseGet(() -> error(OpenAiErrors.modelNotFound(model, aliases())));
    }

    private RestMulti<Buffer> relay(OpenAiRequests.Kind kind, String path, byte[] body, String authorization) {
        OpenAiConfig api = config.openai();
        OpenAiErrors.Answer denied = authorize(authorization);
        if (denied != null) {
            return refuse(path, "none", denied);
        }
        long limit = api.maxBodySize().asLongValue();
        if (body == null || body.length == 0) {
            return refuse(path, "none", OpenAiErrors.badRequest("The request has no body: send a JSON object.", null));
        }
        if (body.length > limit) {
            return refuse(path, "none", OpenAiErrors.tooLarge(body.length, limit));
        }
        ObjectNode request;
        try {
            JsonNode parsed = MAPPER.readTree(body);
            if (!(parsed instanceof ObjectNode o)) {
                return refuse(path, "none", OpenAiErrors.badRequest("The request body must be a JSON object.", null));
            }
            request = o;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return refuse(path, "none", OpenAiErrors.badRequest("We could not parse the JSON body of your request: "
                    + e.getOriginalMessage(), null));
        } catch (IOException e) {
            return refuse(path, "none",
                    OpenAiErrors.badRequest("We could not read the body of your request: " + e.getMessage(), null));
        }
        OpenAiErrors.Answer invalid = OpenAiRequests.validate(kind, request);
        if (invalid != null) {
            return refuse(path, "none", invalid);
        }
        JsonNode requested = request.get("model");
        Optional<ModelServer> server = requested == null || requested.isNull() || requested.asText().isEmpty()
                ? servers.defaultServer()
                : servers.byAlias(requested.asText());
        if (server.isEmpty()) {
            return refuse(path, "none",
                    OpenAiErrors.modelNotFound(requested == null ? "(none)" : requested.asText(), aliases()));
        }
        ModelServer target = server.get();
        if (kind == OpenAiRequests.Kind.EMBEDDINGS && !target.spec().embeddings()) {
            return refuse(path, target.spec().alias(), OpenAiErrors.badRequest("Model '" + target.spec().alias()
                    + "' does not serve embeddings: set "
                    + target.spec().property("embeddings") + "=true (an embedding model gets a server of its own).",
                    "model"));
        }
        if (kind != OpenAiRequests.Kind.EMBEDDINGS && target.spec().embeddings()) {
            return refuse(path, target.spec().alias(), OpenAiErrors.badRequest("Model '" + target.spec().alias()
                    + "' only serves embeddings: send its requests to the embeddings endpoint (.../embeddings), or choose"
                    + " another model (available: " + String.join(", ", aliases()) + ").", "model"));
        }
        JsonNode tools = request.get("tools");
        if (tools != null && tools.isArray() && !tools.isEmpty()) {
            Optional<String> cannot = target.toolsProblem();
            if (cannot.isPresent()) {
                return refuse(path, target.spec().alias(), OpenAiErrors.badRequest(cannot.get(), "tools"));
            }
        }
        request.put("model", target.spec().alias());
        LlamaServerClient client = clients.client(target.name());
        long timeout = api.timeout().toMillis();
        boolean stream = request.path("stream").asBoolean(false);
        if (!stream) {
            Uni<OpenAiErrors.Answer> answer = Uni.createFrom()
                    .completionStage(() -> client.send(HttpMethod.POST, path, write(request), timeout))
                    .map(OpenAiResource::answer)
                    .onFailure(UpstreamException.class).recoverWithItem(e -> OpenAiErrors.upstream((UpstreamException) e));
            return RestMulti.fromUniResponse(answer, a -> Multi.createFrom().item(a.body()), OpenAiErrors.Answer::headers,
                    OpenAiErrors.Answer::status);
        }
        boolean clientWantsUsage = request.path("stream_options").path("include_usage").asBoolean(false);
        // always ask for usage: the metrics count tokens; the relay drops the chunk if the client did not ask
        ObjectNode options = request.has("stream_options") && request.get("stream_options").isObject()
                ? (ObjectNode) request.get("stream_options")
                : request.putObject("stream_options");
        options.put("include_usage", true);
        StreamRelay relay = new StreamRelay(clientWantsUsage);
        relay.attach(client.stream(path, write(request), timeout, relay));
        // a client that leaves before the answer starts (while queued, say) gives its place up
        return RestMulti.fromUniResponse(Uni.createFrom().completionStage(relay.head).onCancellation().invoke(relay::cancel),
                StreamRelay.Head::body, StreamRelay.Head::headers, StreamRelay.Head::status);
    }

    /** A whole answer of llama-server as the client gets it: passed through when fine, in OpenAI's shape if not. */
    private static OpenAiErrors.Answer answer(LlamaServerClient.Response r) {
        if (r.status() != 200) {
            return OpenAiErrors.fromUpstream(r.status(), r.body());
        }
        reportUsage(r);
        return new OpenAiErrors.Answer(200, JSON, r.body());
    }

    private static void reportUsage(LlamaServerClient.Response r) {
        try {
            reportUsage(MAPPER.readTree(r.body().getBytes()), r.exchange());
        } catch (IOException e) {
            throw new UpstreamException(UpstreamException.Kind.HTTP, 502, "llama-server answered 200 with a body that"
                    + " is not JSON", null, e);
        }
    }

    /** Tells the metrics the usage and speed of an answer (whole, or the last chunk of a stream), when it has them. */
    static void reportUsage(JsonNode answer, ExchangeObserver.Exchange exchange) {
        JsonNode usage = answer.path("usage");
        if (!usage.isMissingNode()) {
            exchange.usage(usage.path("prompt_tokens").asInt(), usage.path("completion_tokens").asInt(),
                    answer.path("timings").path("predicted_per_second").asDouble());
        }
    }

    private OpenAiErrors.Answer authorize(String authorization) {
        Optional<List<String>> keys = config.openai().apiKeys();
        if (keys.isEmpty() || keys.get().isEmpty()) {
            return null;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return OpenAiErrors.unauthorized();
        }
        byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        for (String key : keys.get()) {
            // constant time, and every key compared, so timing says nothing about which part matched
            ok |= MessageDigest.isEqual(given, key.getBytes(StandardCharsets.UTF_8));
        }
        return ok ? null : OpenAiErrors.unauthorized();
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

    private static Buffer write(ObjectNode node) {
        try {
            return Buffer.buffer(MAPPER.writeValueAsBytes(node));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A request refused before it reached llama-server: counted too (model "none" when none was chosen yet). */
    private RestMulti<Buffer> refuse(String endpoint, String model, OpenAiErrors.Answer e) {
        if (observers.isResolvable()) {
            observers.get().start(model, endpoint).end(e.status());
        }
        return error(e);
    }

    private static RestMulti<Buffer> error(OpenAiErrors.Answer e) {
        return RestMulti.fromUniResponse(Uni.createFrom().item(e), x -> Multi.createFrom().item(x.body()),
                OpenAiErrors.Answer::headers, OpenAiErrors.Answer::status);
    }

    private static RestMulti<Buffer> whole(int status, Buffer body) {
        return RestMulti.fromUniResponse(Uni.createFrom().item(body), b -> Multi.createFrom().item(b), b -> JSON,
                b -> status);
    }

}
