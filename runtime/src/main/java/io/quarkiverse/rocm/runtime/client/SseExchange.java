package io.quarkiverse.rocm.runtime.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.parsetools.RecordParser;

/**
 * One streamed exchange of {@link LlamaServerClient#stream}: SSE lines framed from the response, llama-server's error
 * answers and error events, cancellation (the connection is closed, so llama-server stops generating), and exactly one
 * end, which releases the place in the gate and ends the observation.
 */
final class SseExchange implements LlamaServerClient.Stream {

    private static final byte[] DATA = "data:".getBytes();
    private static final byte[] ERROR = "error:".getBytes();
    private static final Buffer DONE = Buffer.buffer("[DONE]");

    final SseListener listener;
    final AtomicBoolean cancelled = new AtomicBoolean();
    final AtomicBoolean ended = new AtomicBoolean();
    volatile HttpClientRequest request;
    volatile HttpClientResponse response;

    final long idleTimeoutMs;
    final ExchangeObserver.Exchange exchange;
    final AtomicBoolean finished = new AtomicBoolean();
    volatile CompletableFuture<Gate.Permit> admission;
    volatile Gate.Permit permit;
    /** Cancelled when the caller gives up, so that a wait in the scheduler's line ends too. */
    final CompletableFuture<Void> gone = new CompletableFuture<>();
    boolean first = true;

    private final UpstreamErrors errors;

    SseExchange(SseListener listener, long idleTimeoutMs, ExchangeObserver.Exchange exchange, UpstreamErrors errors) {
        this.listener = listener;
        this.errors = errors;
        this.idleTimeoutMs = idleTimeoutMs;
        this.exchange = exchange;
    }

    /** Releases the place and ends the observation, once. */
    void finish(int status) {
        if (finished.compareAndSet(false, true)) {
            Gate.Permit p = permit;
            if (p != null) {
                p.release();
            }
            exchange.end(status);
        }
    }

    @Override
    public ExchangeObserver.Exchange exchange() {
        return exchange;
    }

    void receive(HttpClientResponse resp, ModelServer.Endpoint endpoint) {
        response = resp;
        if (cancelled.get()) {
            request.reset();
            return;
        }
        if (resp.statusCode() != 200) {
            resp.body().onSuccess(b -> fail(errors.httpError(resp.statusCode(), b)))
                    .onFailure(e -> errors.failure(e, endpoint, idleTimeoutMs).thenAccept(this::fail));
            return;
        }
        listener.onStart();
        RecordParser p = RecordParser.newDelimited("\n", resp);
        p.handler(this::line);
        p.exceptionHandler(e -> errors.failure(e, endpoint, idleTimeoutMs).thenAccept(this::fail));
        p.endHandler(v -> complete());
    }

    void line(Buffer line) {
        if (ended.get() || cancelled.get()) {
            return;
        }
        int len = line.length();
        if (len > 0 && line.getByte(len - 1) == '\r') {
            len--;
        }
        if (len < DATA.length || !Bytes.startsWith(line, DATA)) {
            if (Bytes.startsWith(line, ERROR)) {
                fail(errors.httpError(500, line.getBuffer(ERROR.length, len)));
            }
            return; // blank separators, comments, event names
        }
        int from = DATA.length;
        if (from < len && line.getByte(from) == ' ') {
            from++;
        }
        Buffer data = line.slice(from, len); // no copy: listeners use it during the call only
        if (data.equals(DONE)) {
            complete();
            return;
        }
        if (first) {
            first = false;
            exchange.firstToken();
        } else {
            exchange.token();
        }
        listener.onData(data);
    }

    void complete() {
        if (!cancelled.get() && ended.compareAndSet(false, true)) {
            finish(200);
            listener.onComplete();
        }
    }

    void fail(UpstreamException e) {
        if (!cancelled.get() && ended.compareAndSet(false, true)) {
            finish(e.statusOrZero());
            listener.onError(e);
        }
    }

    @Override
    public void cancel() {
        if (cancelled.compareAndSet(false, true) && !ended.get()) {
            CompletableFuture<Gate.Permit> a = admission;
            if (a != null && !a.isDone()) {
                a.cancel(false); // leave the queue
                finish(499);
                return;
            }
            HttpClientRequest r = request;
            if (r != null) {
                r.reset();
            }
            gone.cancel(false); // leaves the scheduler's line, if it waits there
            finish(499);
        }
    }

    @Override
    public boolean isCancelled() {
        return cancelled.get();
    }

}
