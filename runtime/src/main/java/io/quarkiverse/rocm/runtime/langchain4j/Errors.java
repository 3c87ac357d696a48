package io.quarkiverse.rocm.runtime.langchain4j;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import io.quarkiverse.rocm.runtime.client.ExchangeObserver;
import io.quarkiverse.rocm.runtime.client.LlamaServerClient;
import io.quarkiverse.rocm.runtime.client.UpstreamException;
import io.quarkiverse.rocm.runtime.json.Json;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/**
 * llama-server failures as LangChain4j's typed exceptions, so that retries and error handling work as with any
 * other provider: a request that can never succeed is non-retriable, a server that is restarting or busy is
 * retriable.
 */
final class Errors {

    private Errors() {
    }

    /**
     * A blocking POST for the LangChain4j models: refused on an event loop, every failure mapped, a non-200 answer
     * included (check it with {@link #requireOk}).
     *
     * @param what the caller, for messages ({@code "RocmChatModel.chat()"})
     * @param nonBlocking the non-blocking way to do the same on an event loop, if there is one
     */
    static LlamaServerClient.Response post(LlamaServerClient client, String path, Buffer body, Duration timeout,
            ExchangeObserver.Request request, String what, String nonBlocking) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException(what + " blocks until the whole answer is there and must not run on a"
                    + " Vert.x event loop: call it from a worker thread (@Blocking, or a blocking endpoint)"
                    + (nonBlocking == null ? "" : ", or " + nonBlocking));
        }
        String model = client.server().spec().alias();
        try {
            return client.send(HttpMethod.POST, path, body, timeout.toMillis(), request).get(timeout.toMillis() + 1000,
                    TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw map(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw map(new UpstreamException(UpstreamException.Kind.TIMEOUT, "llama-server '" + model
                    + "' did not answer within " + timeout + ": raise "
                    + client.server().spec().property("chat-model.timeout") + " for longer answers", e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InternalServerException("interrupted while waiting for llama-server '" + model + "'", e);
        }
    }

    /**
     * POSTs a JSON request that is answered whole (embeddings, rerank) and returns the answer's JSON; any other status
     * than 200 is the LangChain4j exception it means. The request's content is recorded only with
     * {@code captureContent}.
     */
    static JsonNode postJson(LlamaServerClient client, String path,
            ObjectNode body, Duration timeout, boolean captureContent, String what) {
        String request = JsonSchemas.write(Json.MAPPER, body);
        ExchangeObserver.Request asked = captureContent
                ? new ExchangeObserver.Request(ExchangeObserver.Request.APPLICATION, null, null, null, request)
                : ExchangeObserver.Request.OWN;
        LlamaServerClient.Response r = post(client, path, Buffer.buffer(request), timeout, asked, what, null);
        requireOk(client, r);
        try {
            return r.json() != null ? r.json() : Json.MAPPER.readTree(r.body().getBytes());
        } catch (IOException e) {
            throw new InternalServerException("llama-server's answer to " + path + " is not JSON: " + r.body(), e);
        }
    }

    static void requireOk(LlamaServerClient client, LlamaServerClient.Response response) {
        if (response.status() != 200) {
            throw map(client.httpError(response.status(), response.body()));
        }
    }

    static LangChain4jException map(Throwable error) {
        if (error instanceof LangChain4jException l) {
            return l;
        }
        if (!(error instanceof UpstreamException u)) {
            return new InternalServerException(error.getMessage(), error);
        }
        return switch (u.kind()) {
            case UNAVAILABLE, CONNECTION_LOST -> new InternalServerException(u.getMessage(), u);
            case BUSY -> new RateLimitException(u.getMessage(), u);
            case TIMEOUT -> new TimeoutException(u.getMessage(), u);
            case HTTP -> switch (u.status()) {
                case 400, 422 -> new InvalidRequestException(u.getMessage(), u); // context exceeded, bad schema...
                case 401, 403 -> new AuthenticationException(u.getMessage(), u);
                case 404 -> new ModelNotFoundException(u.getMessage(), u);
                case 429, 503 -> new RateLimitException(u.getMessage(), u); // slots full, loading
                default -> new InternalServerException(u.getMessage(), u);
            };
        };
    }
}
