package io.quarkiverse.rocm.runtime.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;

/**
 * A streamed exchange whose response a relay reads as it comes (the OpenAI API), opened by
 * {@link LlamaServerClient#open}: admission, the wait for a ready server and the request are the client's; the relay
 * reads the response and ends the exchange once.
 */
public final class RelayExchange {
    final ExchangeObserver.Exchange exchange;
    final long idleTimeoutMs;
    final CompletableFuture<HttpClientResponse> response = new CompletableFuture<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    volatile CompletableFuture<Gate.Permit> admission;
    volatile Gate.Permit permit;
    /** Cancelled when the caller gives up, so that a wait in the scheduler's line ends too. */
    final CompletableFuture<Void> gone = new CompletableFuture<>();
    volatile HttpClientRequest request;
    volatile ModelServer.Endpoint endpoint;
    volatile boolean cancelled;

    private final UpstreamErrors errors;

    RelayExchange(ExchangeObserver.Exchange exchange, long idleTimeoutMs, UpstreamErrors errors) {
        this.exchange = exchange;
        this.errors = errors;
        this.idleTimeoutMs = idleTimeoutMs;
    }

    /** llama-server's response head; failed with an {@link UpstreamException} that says why there is none. */
    public CompletableFuture<HttpClientResponse> response() {
        return response;
    }

    public ExchangeObserver.Exchange exchange() {
        return exchange;
    }

    /** The caller went away: leave the queue, or close the connection so that llama-server stops generating. */
    public void cancel() {
        cancelled = true;
        CompletableFuture<Gate.Permit> a = admission;
        if (a != null && !a.isDone()) {
            a.cancel(false);
            end(499);
            return;
        }
        HttpClientRequest r = request;
        if (r != null) {
            r.reset();
        }
        gone.cancel(false); // leaves the scheduler's line, if it waits there
        end(499);
    }

    /** Releases the place and ends the observation, once: the status the client got (499 cancelled). */
    public void end(int status) {
        if (ended.compareAndSet(false, true)) {
            Gate.Permit p = permit;
            if (p != null) {
                p.release();
            }
            exchange.end(status);
        }
    }

    /** Explains a failure of the response (a broken connection waits a moment to learn what the process did). */
    public CompletableFuture<UpstreamException> explain(Throwable e) {
        ModelServer.Endpoint at = endpoint;
        return errors.failure(e, at, idleTimeoutMs);
    }

    /** llama-server's error answer of {@code status}, as an exception. */
    public UpstreamException httpError(int status, Buffer body) {
        return errors.httpError(status, body);
    }

    void fail(Throwable e) {
        explain(e).thenAccept(u -> {
            end(u.statusOrZero());
            response.completeExceptionally(u);
        });
    }
}
