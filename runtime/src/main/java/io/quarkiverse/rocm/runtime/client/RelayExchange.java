package io.quarkiverse.rocm.runtime.client;

import java.util.concurrent.CompletableFuture;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/**
 * A streamed exchange whose response a relay reads as it comes (the OpenAI API), opened by
 * {@link LlamaServerClient#open}: admission, the wait for a ready server and the request are the client's; the relay
 * reads the response and ends the exchange once ({@link ExchangeEnd}).
 */
public final class RelayExchange {

    final ExchangeEnd end;
    final long idleTimeoutMs;
    final CompletableFuture<HttpClientResponse> response = new CompletableFuture<>();
    volatile io.quarkiverse.rocm.runtime.server.Endpoint endpoint;
    private final UpstreamErrors errors;

    RelayExchange(ExchangeEnd end, long idleTimeoutMs, UpstreamErrors errors) {
        this.end = end;
        this.errors = errors;
        this.idleTimeoutMs = idleTimeoutMs;
    }

    /** llama-server's response head; failed with an {@link UpstreamException} that says why there is none. */
    public CompletableFuture<HttpClientResponse> response() {
        return response;
    }

    public ExchangeObserver.Exchange exchange() {
        return end.exchange;
    }

    /** The caller went away: leave the queue, or close the connection so that llama-server stops generating. */
    public void cancel() {
        end.cancel();
    }

    /** Releases the place and ends the observation, once: the status the client got (499 cancelled). */
    public void end(int status) {
        end.end(status);
    }

    /** Explains a failure of the response (a broken connection waits a moment to learn what the process did). */
    public CompletableFuture<UpstreamException> explain(Throwable e) {
        return errors.failure(e, end.admission.route(), endpoint, idleTimeoutMs);
    }

    /** llama-server's error answer of {@code status}, as an exception. */
    public UpstreamException httpError(int status, Buffer body) {
        return errors.httpError(status, body);
    }

    /** No response: the exchange ends with the failure's status, and the response future says why. */
    void fail(Throwable e) {
        explain(e).thenAccept(this::refused);
    }

    private void refused(UpstreamException u) {
        end.end(u.statusOrZero());
        response.completeExceptionally(u);
    }
}
