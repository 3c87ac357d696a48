package io.quarkiverse.rocm.runtime.rest;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkiverse.rocm.runtime.access.Callers;
import io.quarkiverse.rocm.runtime.client.ExchangeObserver;
import io.quarkiverse.rocm.runtime.client.LlamaServerClient;
import io.quarkiverse.rocm.runtime.client.LlamaServerClients;
import io.quarkiverse.rocm.runtime.client.RelayExchange;
import io.quarkiverse.rocm.runtime.client.UpstreamException;
import io.quarkiverse.rocm.runtime.config.OpenAiConfig;
import io.quarkiverse.rocm.runtime.json.Json;
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.quarkiverse.rocm.runtime.spec.Adapters;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * The OpenAI API's POST endpoints ({@code chat/completions}, {@code completions}, {@code embeddings}) as a Vert.x
 * route: they are relays, so they are written where the bytes are. A request is read (up to the body limit), checked
 * (stricter than llama-server, which answers 500 or 200 to some malformed requests) and routed by
 * {@code model}; its bytes then go to llama-server unchanged, and the answer comes back as llama-server sent it, a
 * stream piece by piece ({@link StreamRelay}). Refusals are in OpenAI's shape; who may call was decided before
 * (Quarkus Security, {@link io.quarkiverse.rocm.runtime.access.ApiAccessPolicy}). Runs on the request's event loop and
 * never blocks it.
 */
public final class OpenAiRelay implements Handler<RoutingContext> {

    /** The header naming the conversation a request continues ({@code kv-cache.per-conversation}). */
    public static final String CONVERSATION = "X-Conversation-Id";

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(OpenAiRelay.class);

    private final Kind kind;
    private final String path;
    private final OpenAiConfig config;
    private final ModelLookup models;
    private final LlamaServerClients clients;
    private final ExchangeObserver observer;
    private final long limit;
    /** Whether the requests' and answers' content goes to the observers ({@code quarkus.rocm.capture-content}). */
    private final boolean captureContent;

    public OpenAiRelay(Kind kind, OpenAiConfig config, ModelServers servers, LlamaServerClients clients,
            ExchangeObserver observer, boolean captureContent) {
        this.captureContent = captureContent;
        this.kind = kind;
        this.path = kind.upstreamPath();
        this.config = config;
        this.models = new ModelLookup(servers);
        this.clients = clients;
        this.observer = observer;
        this.limit = config.maxBodySize().asLongValue();
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (ctx.body() != null && ctx.body().available()) { // read already by a body handler of the application's
            received(ctx, ctx.body().buffer());
            return;
        }
        Buffer body = Buffer.buffer();
        request.handler(piece -> {
            if (body.length() + piece.length() > limit) {
                if (!ctx.response().ended()) { // a chunked body that outgrows the limit (no Content-Length to check)
                    refuse(ctx, "none", OpenAiErrors.tooLarge(body.length() + piece.length(), limit));
                    request.connection().close();
                }
                return;
            }
            body.appendBuffer(piece);
        });
        request.endHandler(v -> {
            if (!ctx.response().ended()) {
                received(ctx, body);
            }
        });
    }

    private void received(RoutingContext ctx, Buffer body) {
        if (body == null || body.length() == 0) {
            refuse(ctx, "none", OpenAiErrors.badRequest("The request has no body: send a JSON object.", null));
            return;
        }
        ObjectNode request;
        try {
            JsonNode parsed = Json.MAPPER.readTree(body.getBytes());
            if (!(parsed instanceof ObjectNode o)) {
                refuse(ctx, "none", OpenAiErrors.badRequest("The request body must be a JSON object.", null));
                return;
            }
            request = o;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            refuse(ctx, "none", OpenAiErrors.badRequest("We could not parse the JSON body of your request: "
                    + e.getOriginalMessage(), null));
            return;
        } catch (IOException e) {
            refuse(ctx, "none", OpenAiErrors.badRequest("We could not read the body of your request: "
                    + e.getMessage(), null));
            return;
        }
        OpenAiErrors.Answer invalid = OpenAiRequests.validate(kind, request);
        if (invalid != null) {
            refuse(ctx, "none", invalid);
            return;
        }
        JsonNode requested = request.get("model");
        String name = requested == null || requested.isNull() ? null : requested.asText();
        Optional<ModelServer> server = models.find(name);
        if (server.isEmpty()) {
            refuse(ctx, "none", models.notFound(name));
            return;
        }
        ModelServer target = server.get();
        OpenAiErrors.Answer unfit = Fit.unfit(kind, target, request, models);
        if (unfit != null) {
            refuse(ctx, target.spec().alias(), unfit);
            return;
        }
        // the bytes go on as the client sent them (the model is its alias or absent: llama-server's --alias then),
        // unless the model has LoRA adapters: then the request says which apply
        Buffer sent = body;
        Adapters adapters = target.spec().adapters();
        if (!adapters.isEmpty() && kind.family() == Fit.Family.GENERATION && !request.has("lora")) {
            request.set("lora", adapters.field(name, Map.of()));
            sent = bytes(request);
        }
        LlamaServerClient client = clients.client(target.name());
        long timeout = config.timeout().toMillis();
        ExchangeObserver.Request asked = asked(ctx, request, captureContent ? body.toString() : null);
        String model = name == null ? target.spec().alias() : name;
        int context = target.spec().contextSize();
        if (kind.family() == Fit.Family.GENERATION
                && !ContextGuard.surelyFits(kind, request, body.length(), context)) {
            // near the context's limit: counted by the model's llama-server before the request takes a slot
            Buffer counted = sent;
            ContextGuard.count(client, kind, request, timeout).whenComplete((prompt, e) -> answered(ctx, () -> {
                int max = ContextGuard.maxTokens(request);
                if (e == null && prompt + max > context) {
                    refuse(ctx, target.spec().alias(), ContextGuard.exceeded(target, prompt, max));
                } else { // it fits, or it could not be counted: llama-server decides
                    dispatch(ctx, client, request, counted, model, timeout, asked);
                }
            }));
            return;
        }
        dispatch(ctx, client, request, sent, model, timeout, asked);
    }

    /** Sends the request on: whole, streamed, or as fill-in-the-middle. */
    private void dispatch(RoutingContext ctx, LlamaServerClient client, ObjectNode request, Buffer sent, String model,
            long timeout, ExchangeObserver.Request asked) {
        if (kind == Kind.COMPLETION && Infill.asked(request)) {
            infill(ctx, client, request, model, timeout, asked);
        } else if (request.path("stream").asBoolean(false) && kind.streamEnd() != null) {
            stream(ctx, client, sent, timeout, asked);
        } else {
            whole(ctx, client, sent, timeout, asked);
        }
    }

    /** Who asked, and the generation parameters it gave. */
    private static ExchangeObserver.Request asked(RoutingContext ctx, ObjectNode request, String content) {
        JsonNode max = request.hasNonNull("max_completion_tokens") ? request.get("max_completion_tokens")
                : request.hasNonNull("max_output_tokens") ? request.get("max_output_tokens") : request.get("max_tokens");
        JsonNode temperature = request.get("temperature");
        JsonNode topP = request.get("top_p");
        return new ExchangeObserver.Request(Callers.of(ctx), max != null && max.isNumber() ? max.asInt() : null,
                temperature != null && temperature.isNumber() ? temperature.asDouble() : null,
                topP != null && topP.isNumber() ? topP.asDouble() : null, content).inConversation(conversation(ctx, request));
    }

    /**
     * The conversation the caller named: the {@value #CONVERSATION} header, else OpenAI's {@code user}, else Anthropic's
     * {@code metadata.user_id}; null when none did.
     */
    static String conversation(RoutingContext ctx, ObjectNode request) {
        String header = ctx.request().getHeader(CONVERSATION);
        if (header != null && !header.isBlank()) {
            return header;
        }
        JsonNode user = request.hasNonNull("user") ? request.get("user") : request.path("metadata").get("user_id");
        return user != null && user.isTextual() && !user.asText().isBlank() ? user.asText() : null;
    }

    private void whole(RoutingContext ctx, LlamaServerClient client, Buffer body, long timeout,
            ExchangeObserver.Request asked) {
        CompletableFuture<LlamaServerClient.Response> sent = client.send(HttpMethod.POST, path, body, timeout, asked);
        // a client that leaves gives its place up (in the queue, or in the line for a model's load)
        ctx.response().closeHandler(v -> sent.cancel(false));
        sent.whenComplete((r, e) -> answered(ctx, () -> {
            if (e != null) {
                failed(ctx, e);
                return;
            }
            if (r.status() != 200) {
                send(ctx, OpenAiErrors.upstream(client.httpError(r.status(), r.body())));
                return;
            }
            if (r.json() == null) { // the client read its usage when it was JSON
                send(ctx, OpenAiErrors.of(502, "server_error", null, null,
                        "llama-server answered 200 with a body that is not JSON"));
                return;
            }
            send(ctx, new OpenAiErrors.Answer(200, OpenAiErrors.JSON, r.body()));
        }));
    }

    /**
     * Fills in the middle through llama-server's {@code /infill}; a streamed request gets the answer as one event
     * (then {@code [DONE]}).
     */
    private void infill(RoutingContext ctx, LlamaServerClient client, ObjectNode request, String model, long timeout,
            ExchangeObserver.Request asked) {
        boolean stream = request.path("stream").asBoolean(false);
        Buffer body = bytes(Infill.request(request));
        CompletableFuture<LlamaServerClient.Response> sent = client.send(HttpMethod.POST, Infill.PATH, body, timeout,
                asked);
        ctx.response().closeHandler(v -> sent.cancel(false));
        sent.whenComplete((r, e) -> answered(ctx, () -> {
            if (e != null) {
                failed(ctx, e);
            } else if (r.status() != 200 || r.json() == null) {
                send(ctx, OpenAiErrors.upstream(client.httpError(r.status(), r.body())));
            } else {
                Buffer answer = Buffer.buffer(Infill.answer(r.json(), model).toString());
                send(ctx, stream
                        ? new OpenAiErrors.Answer(200, Map.of("Content-Type", List.of("text/event-stream")),
                                Buffer.buffer("data: ").appendBuffer(answer).appendString("\n\ndata: [DONE]\n\n"))
                        : new OpenAiErrors.Answer(200, OpenAiErrors.JSON, answer));
            }
        }));
    }

    /**
     * Runs what answers the client, on whichever thread completed the upstream exchange; if it throws, the client
     * still gets an answer (500) and the log says why, instead of a request left open.
     */
    static void answered(RoutingContext ctx, Runnable answer) {
        try {
            answer.run();
        } catch (RuntimeException | Error e) {
            LOG.errorf(e, "Could not answer %s %s", ctx.request().method(), ctx.request().path());
            HttpServerResponse response = ctx.response();
            if (!response.ended() && !response.closed()) {
                if (!response.headWritten()) {
                    response.setStatusCode(500);
                }
                response.end();
            }
        }
    }

    private void stream(RoutingContext ctx, LlamaServerClient client, Buffer body, long timeout,
            ExchangeObserver.Request asked) {
        RelayExchange upstream = client.open(path, body, timeout, asked);
        // a client that leaves before the answer starts (while queued, say) gives its place up
        ctx.response().closeHandler(v -> upstream.cancel());
        upstream.response().whenComplete((up, e) -> answered(ctx, () -> {
            if (e != null) {
                failed(ctx, e);
                return;
            }
            if (up.statusCode() != 200) {
                up.body().onComplete(b -> {
                    Buffer answer = b.succeeded() ? b.result() : Buffer.buffer();
                    upstream.end(up.statusCode());
                    send(ctx, OpenAiErrors.upstream(upstream.httpError(up.statusCode(), answer)));
                });
                return;
            }
            StreamRelay.start(upstream, up, ctx.response(), asked.captured(), kind);
        }));
    }

    /** A request refused before it reached llama-server: counted too (model "none" when none was chosen yet). */
    private void refuse(RoutingContext ctx, String model, OpenAiErrors.Answer answer) {
        observer.start(model, path, ExchangeObserver.Request.of(Callers.of(ctx))).end(answer.status());
        send(ctx, answer);
    }

    /** The answer to an exchange that failed on its way to llama-server. */
    private void failed(RoutingContext ctx, Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
        send(ctx, cause instanceof UpstreamException u ? OpenAiErrors.upstream(u)
                : OpenAiErrors.of(502, "server_error", null, null, String.valueOf(cause.getMessage())));
    }

    /** A request tree as bytes (a tree just parsed always writes). */
    private static Buffer bytes(ObjectNode request) {
        try {
            return Buffer.buffer(Json.MAPPER.writeValueAsBytes(request));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes an answer in this route's dialect (Anthropic's error shape on its routes). */
    private void send(RoutingContext ctx, OpenAiErrors.Answer answer) {
        write(ctx, kind.dialect().shape(answer));
    }

    static void write(RoutingContext ctx, OpenAiErrors.Answer answer) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(answer.status());
        for (Map.Entry<String, List<String>> h : answer.headers().entrySet()) {
            response.putHeader(h.getKey(), h.getValue());
        }
        response.end(answer.body());
    }
}
