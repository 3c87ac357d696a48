package io.quarkiverse.rocm.runtime.ollama;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkiverse.rocm.runtime.access.Callers;
import io.quarkiverse.rocm.runtime.client.ExchangeObserver;
import io.quarkiverse.rocm.runtime.client.LlamaServerClient;
import io.quarkiverse.rocm.runtime.client.LlamaServerClients;
import io.quarkiverse.rocm.runtime.client.SseListener;
import io.quarkiverse.rocm.runtime.client.UpstreamException;
import io.quarkiverse.rocm.runtime.client.Usage;
import io.quarkiverse.rocm.runtime.config.OllamaConfig.KeepAliveFrom;
import io.quarkiverse.rocm.runtime.json.Json;
import io.quarkiverse.rocm.runtime.scheduling.KeepAlive;
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.quarkiverse.rocm.runtime.spec.Adapters;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Ollama's API ({@code quarkus.rocm.ollama.enabled}): each route translates to llama-server's OpenAI endpoints through
 * the same client as the OpenAI API (routing by {@code model}, the gate, the scheduler, metrics by endpoint) and
 * answers as Ollama does: JSON, or NDJSON parts when streaming (the default), errors as {@code {"error":"..."}} with
 * Ollama's statuses. Runs on the request's event loop and never blocks it.
 */
public final class OllamaRoutes implements Handler<RoutingContext> {

    /** The routes, below the root path ({@code /api/chat}). */
    public enum Route {
        CHAT("api/chat", HttpMethod.POST),
        GENERATE("api/generate", HttpMethod.POST),
        EMBED("api/embed", HttpMethod.POST),
        SHOW("api/show", HttpMethod.POST),
        TAGS("api/tags", HttpMethod.GET),
        PS("api/ps", HttpMethod.GET),
        VERSION("api/version", HttpMethod.GET);

        private final String path;
        private final HttpMethod method;

        Route(String path, HttpMethod method) {
            this.path = path;
            this.method = method;
        }

        public String path() {
            return path;
        }

        public HttpMethod method() {
            return method;
        }
    }

    private final Route route;
    private final ModelServers servers;
    private final LlamaServerClients clients;
    private final OllamaModels models;
    private final long timeout;
    private final long limit;

    private final OllamaKeepAlive keepAlives;

    /**
     * @param limit the most bytes a request's body may have
     * @param keepAliveFrom whose {@code keep_alive} is honored; {@code operatorRole}: the role operators have
     */
    public OllamaRoutes(Route route, ModelServers servers, LlamaServerClients clients, long timeoutMillis, long limit,
            KeepAliveFrom keepAliveFrom, String operatorRole) {
        this.keepAlives = new OllamaKeepAlive(keepAliveFrom, operatorRole);
        this.limit = limit;
        this.route = route;
        this.servers = servers;
        this.clients = clients;
        this.models = new OllamaModels(servers);
        this.timeout = timeoutMillis;
    }

    @Override
    public void handle(RoutingContext ctx) {
        switch (route) {
            case TAGS -> json(ctx, 200, models.tags());
            case PS -> json(ctx, 200, models.ps());
            case VERSION -> json(ctx, 200, OllamaModels.version());
            default -> read(ctx);
        }
    }

    /** Reads the request's body (as the OpenAI API's relay does: read already by a body handler, or now). */
    private void read(RoutingContext ctx) {
        if (ctx.body() != null && ctx.body().available()) {
            answered(ctx, () -> received(ctx, ctx.body().buffer()));
            return;
        }
        Buffer body = Buffer.buffer();
        ctx.request().handler(piece -> {
            if (body.length() + piece.length() > limit) {
                if (!ctx.response().ended()) { // quarkus.rocm.openai.max-body-size, as for the OpenAI API
                    error(ctx, 413, "the request body is over " + limit + " bytes (quarkus.rocm.openai.max-body-size)");
                    ctx.request().connection().close();
                }
                return;
            }
            body.appendBuffer(piece);
        });
        ctx.request().exceptionHandler(e -> error(ctx, 400, "could not read the request: " + e.getMessage()));
        ctx.request().endHandler(v -> {
            if (!ctx.response().ended()) {
                answered(ctx, () -> received(ctx, body));
            }
        });
    }

    private void received(RoutingContext ctx, Buffer body) {
        if (body == null || body.length() == 0) {
            error(ctx, 400, "missing request body");
            return;
        }
        ObjectNode request;
        try {
            JsonNode parsed = Json.MAPPER.readTree(body.getBytes());
            if (!(parsed instanceof ObjectNode o)) {
                error(ctx, 400, "the request body must be a JSON object");
                return;
            }
            request = o;
        } catch (IOException e) {
            error(ctx, 400, e.getMessage());
            return;
        }
        String asked = request.hasNonNull("model") ? request.get("model").asText() : request.path("name").asText("");
        if (asked.isEmpty()) {
            error(ctx, route == Route.CHAT || route == Route.SHOW ? 400 : 404,
                    route == Route.CHAT || route == Route.SHOW ? "model is required" : "model '' not found");
            return;
        }
        String name = OllamaModels.name(asked);
        Optional<ModelServer> server = servers.byAlias(name);
        if (server.isEmpty()) {
            error(ctx, 404, "model '" + asked + "' not found");
            return;
        }
        ModelServer target = server.get();
        if (route == Route.SHOW) {
            json(ctx, 200, models.show(target, name));
            return;
        }
        KeepAlive keepAlive;
        try {
            keepAlive = keepAlives.asked(ctx, request);
        } catch (OllamaRequests.Invalid e) {
            error(ctx, 400, e.getMessage());
            return;
        }
        if (OllamaKeepAlive.nothingToAnswer(route, request)) {
            keepAlives.loadOrUnload(ctx, route, servers.scheduler(), target.name(), asked, request, keepAlive);
            return;
        }
        boolean embeddings = target.spec().embeddings();
        if ((route == Route.EMBED) != embeddings || target.spec().reranking()) {
            error(ctx, 400, "\"" + asked + "\" does not support " + (route == Route.EMBED ? "embeddings: set "
                    + target.spec().property("embeddings") + "=true on a model for them"
                    : route == Route.CHAT ? "chat" : "generate"));
            return;
        }
        ObjectNode upstream;
        String path;
        try {
            if (route == Route.EMBED) {
                upstream = OllamaRequests.embed(request);
                path = "/v1/embeddings";
            } else if (route == Route.GENERATE && request.path("suffix").asText("").length() > 0) {
                upstream = OllamaRequests.infill(request);
                path = "/infill";
            } else if (route == Route.GENERATE && request.path("raw").asBoolean(false)) {
                upstream = OllamaRequests.raw(request);
                path = "/v1/completions";
            } else {
                upstream = route == Route.CHAT ? OllamaRequests.chat(request) : OllamaRequests.generate(request);
                path = "/v1/chat/completions";
            }
        } catch (OllamaRequests.Invalid e) {
            error(ctx, 400, e.getMessage());
            return;
        }
        Optional<String> cannot = route == Route.EMBED ? Optional.empty() : problem(target, upstream);
        if (cannot.isPresent()) {
            error(ctx, 400, cannot.get());
            return;
        }
        Adapters adapters = target.spec().adapters();
        if (!adapters.isEmpty() && route != Route.EMBED) {
            upstream.set("lora", adapters.field(name, Map.of()));
        }
        LlamaServerClient client = clients.client(target.name());
        ExchangeObserver.Request who = ExchangeObserver.Request.of(Callers.of(ctx)).keepingAlive(keepAlive);
        Buffer bytes = Buffer.buffer(upstream.toString());
        boolean generate = route == Route.GENERATE;
        if (route != Route.EMBED && upstream.path("stream").asBoolean(false)) {
            stream(ctx, client, path, bytes, who, new OllamaAnswers.Stream(asked, generate));
            return;
        }
        long start = System.nanoTime();
        CompletableFuture<LlamaServerClient.Response> sent = client.send(HttpMethod.POST, path, bytes, timeout, who);
        ctx.response().closeHandler(v -> sent.cancel(false));
        sent.whenComplete((r, e) -> answered(ctx, () -> {
            if (e != null) {
                Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
                upstreamError(ctx, cause instanceof UpstreamException u ? u : null, String.valueOf(cause.getMessage()));
            } else if (r.status() != 200 || r.json() == null) {
                upstreamError(ctx, client.httpError(r.status(), r.body()), null);
            } else if (route == Route.EMBED) {
                json(ctx, 200, embedded(r.json(), asked, start));
            } else {
                ObjectNode answer = path.equals("/infill") ? OllamaAnswers.infill(r.json(), asked, start)
                        : OllamaAnswers.whole(r.json(), asked, generate, start);
                if (OllamaRequests.stream(request)) { // a client that streams gets its one answer as NDJSON
                    ndjson(ctx).end(answer.toString() + "\n");
                } else {
                    json(ctx, 200, answer);
                }
            }
        }));
    }

    /** What the request needs that the model cannot do (images, tools), in Ollama's words and ours. */
    private static Optional<String> problem(ModelServer target, ObjectNode upstream) {
        for (JsonNode m : upstream.path("messages")) {
            if (m.path("content").isArray()) {
                Optional<String> vision = target.visionProblem();
                if (vision.isPresent()) {
                    return Optional.of("\"" + target.spec().alias() + "\" does not support images. " + vision.get());
                }
            }
        }
        if (upstream.has("tools")) {
            return target.toolsProblem()
                    .map(p -> "\"" + target.spec().alias() + "\" does not support tools. " + p);
        }
        return Optional.empty();
    }

    private static ObjectNode embedded(JsonNode answer, String model, long start) {
        ObjectNode out = Json.MAPPER.createObjectNode().put("model", model);
        var vectors = out.putArray("embeddings");
        for (JsonNode d : answer.path("data")) {
            vectors.add(d.path("embedding"));
        }
        out.put("total_duration", System.nanoTime() - start).put("load_duration", 0)
                .put("prompt_eval_count", answer.path("usage").path("prompt_tokens").asInt());
        return out;
    }

    private void stream(RoutingContext ctx, LlamaServerClient client, String path, Buffer body,
            ExchangeObserver.Request who, OllamaAnswers.Stream answer) {
        HttpServerResponse response = ctx.response();
        LlamaServerClient.Stream[] handle = new LlamaServerClient.Stream[1];
        handle[0] = client.stream(path, body, timeout, who, new SseListener() {
            private boolean started;
            private JsonNode last;

            @Override
            public void onData(Buffer data) {
                JsonNode chunk;
                try {
                    chunk = Json.MAPPER.readTree(data.getBytes());
                } catch (IOException e) {
                    return; // not an event of the answer
                }
                if (chunk.has("timings") || chunk.path("usage").isObject()) {
                    last = chunk;
                }
                for (ObjectNode part : answer.chunk(chunk)) {
                    write(part);
                }
            }

            @Override
            public void onComplete() {
                if (last != null) {
                    Usage.report(last, handle[0].exchange());
                }
                write(answer.done());
                response.end();
            }

            @Override
            public void onError(UpstreamException error) {
                if (!started) {
                    upstreamError(ctx, error, null);
                } else if (!response.ended()) { // the answer had started: Ollama's last line says what broke
                    response.end(Json.MAPPER.createObjectNode().put("error", error.getMessage()) + "\n");
                }
            }

            private void write(ObjectNode part) {
                if (!started) {
                    started = true;
                    ndjson(ctx);
                }
                if (!response.ended()) {
                    response.write(part.toString() + "\n");
                }
            }
        });
        response.closeHandler(v -> handle[0].cancel());
    }

    private static HttpServerResponse ndjson(RoutingContext ctx) {
        return ctx.response().setStatusCode(200).setChunked(true).putHeader("Content-Type", "application/x-ndjson");
    }

    /** A failure on the way to llama-server with Ollama's status and message. */
    private static void upstreamError(RoutingContext ctx, UpstreamException u, String otherwise) {
        if (u == null) {
            error(ctx, 500, otherwise);
            return;
        }
        switch (u.kind()) {
            case BUSY -> error(ctx, 503, "server busy, please try again.  maximum pending requests exceeded. "
                    + u.getMessage());
            case UNAVAILABLE -> error(ctx, 503, u.getMessage());
            case TIMEOUT -> error(ctx, 500, u.getMessage());
            case CONNECTION_LOST -> error(ctx, 500, u.getMessage());
            case HTTP -> error(ctx, u.status() >= 400 ? u.status() : 500,
                    u.upstreamMessage() != null ? u.upstreamMessage() : u.getMessage());
        }
    }

    static void error(RoutingContext ctx, int status, String message) {
        json(ctx, status, Json.MAPPER.createObjectNode().put("error", message));
    }

    static void json(RoutingContext ctx, int status, ObjectNode body) {
        HttpServerResponse response = ctx.response();
        if (!response.ended() && !response.closed()) {
            response.setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
                    .end(body.toString());
        }
    }

    /** Runs what answers; if it throws, the client still gets an answer (500) saying why. */
    private static void answered(RoutingContext ctx, Runnable answer) {
        try {
            answer.run();
        } catch (RuntimeException e) {
            if (!ctx.response().headWritten()) {
                error(ctx, 500, String.valueOf(e.getMessage()));
            } else if (!ctx.response().ended()) {
                ctx.response().end();
            }
        }
    }
}
