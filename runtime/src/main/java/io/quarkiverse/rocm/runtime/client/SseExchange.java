package io.quarkiverse.rocm.runtime.client;

import java.util.concurrent.atomic.AtomicBoolean;

import io.quarkiverse.rocm.runtime.server.Endpoint;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.parsetools.RecordParser;

/**
 * One streamed exchange of {@link LlamaServerClient#stream}: SSE lines framed from the response, llama-server's error
 * answers and error events, and its listener told exactly once how it ended ({@link ExchangeEnd} releases the rest).
 */
final class SseExchange implements LlamaServerClient.Stream {

    private static final byte[] DATA = "data:".getBytes();
    private static final byte[] ERROR = "error:".getBytes();
    private static final Buffer DONE = Buffer.buffer("[DONE]");

    final SseListener listener;
    final ExchangeEnd end;
    final long idleTimeoutMs;
    /** Whether the listener was told the end. */
    private final AtomicBoolean told = new AtomicBoolean();
    private final UpstreamErrors errors;
    private boolean first = true;

    SseExchange(SseListener listener, long idleTimeoutMs, ExchangeEnd end, UpstreamErrors errors) {
        this.listener = listener;
        this.errors = errors;
        this.idleTimeoutMs = idleTimeoutMs;
        this.end = end;
    }

    @Override
    public ExchangeObserver.Exchange exchange() {
        return end.exchange;
    }

    void receive(HttpClientResponse resp, Endpoint endpoint) {
        if (end.cancelled()) {
            return; // the request was reset
        }
        if (resp.statusCode() != 200) {
            resp.body().onSuccess(b -> fail(errors.httpError(resp.statusCode(), b)))
                    .onFailure(e -> explain(e, endpoint));
            return;
        }
        listener.onStart();
        RecordParser p = RecordParser.newDelimited("\n", resp);
        p.handler(this::line);
        p.exceptionHandler(e -> explain(e, endpoint));
        p.endHandler(v -> complete());
    }

    /** A transport failure, explained by the request's route (what happened to the server meanwhile). */
    void explain(Throwable e, Endpoint endpoint) {
        errors.failure(e, end.admission.route(), endpoint, idleTimeoutMs).thenAccept(this::fail);
    }

    void line(Buffer line) {
        if (told.get() || end.cancelled()) {
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
            end.exchange.firstToken();
        } else {
            end.exchange.token();
        }
        listener.onData(data);
    }

    void complete() {
        if (!end.cancelled() && told.compareAndSet(false, true)) {
            end.end(200, listener::onComplete); // the listener reports the usage before the observation ends
        }
    }

    void fail(UpstreamException e) {
        if (!end.cancelled() && told.compareAndSet(false, true)) {
            end.end(e.statusOrZero());
            listener.onError(e);
        }
    }

    @Override
    public void cancel() {
        if (!told.get()) {
            end.cancel();
        }
    }

    @Override
    public boolean isCancelled() {
        return end.cancelled();
    }
}
