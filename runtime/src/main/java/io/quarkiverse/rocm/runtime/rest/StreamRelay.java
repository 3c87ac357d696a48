package io.quarkiverse.rocm.runtime.rest;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.jboss.logging.Logger;

import io.quarkiverse.rocm.runtime.client.Bytes;
import io.quarkiverse.rocm.runtime.client.LlamaServerClient;
import io.quarkiverse.rocm.runtime.client.SseListener;
import io.quarkiverse.rocm.runtime.client.UpstreamException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.buffer.Buffer;

/**
 * Relays llama-server's server-sent events to the client as they are, byte for byte: each event is framed once and
 * passed on; only the final usage chunk is parsed (for metrics), and dropped when the client did not ask for usage.
 * The client's demand paces the upstream reads (so a slow reader never makes the JVM buffer an answer), and a client
 * that goes away cancels the upstream request, which stops the generation.
 */
final class StreamRelay implements SseListener {

    static final Map<String, List<String>> SSE_HEADERS = Map.of("Content-Type", List.of("text/event-stream"),
            "Cache-Control", List.of("no-cache"), "X-Accel-Buffering", List.of("no"));
    private static final byte[] PREFIX = "data: ".getBytes();
    private static final byte[] SUFFIX = "\n\n".getBytes();
    private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");
    private static final Logger LOG = Logger.getLogger(StreamRelay.class);

    /** What the client gets: status, headers, body. */
    record Head(int status, Map<String, List<String>> headers, Multi<Buffer> body) {
    }

    final CompletableFuture<Head> head = new CompletableFuture<>();
    private final boolean clientWantsUsage;
    private volatile LlamaServerClient.Stream stream;
    // guarded by this
    private MultiEmitter<? super Buffer> emitter;
    private final ArrayDeque<Buffer> pending = new ArrayDeque<>();
    private boolean completed;
    private boolean cancelled;
    /** Frames kept for a client that has not subscribed yet; more than this means it never will. */
    static final int MAX_PENDING = 1024;

    StreamRelay(boolean clientWantsUsage) {
        this.clientWantsUsage = clientWantsUsage;
    }

    /** The client went away before the answer started (while queued, say): give up the request. */
    void cancel() {
        synchronized (this) {
            cancelled = true;
        }
        LlamaServerClient.Stream s = stream;
        if (s != null) {
            s.cancel();
        }
    }

    void attach(LlamaServerClient.Stream stream) {
        this.stream = stream;
        synchronized (this) {
            if (cancelled) {
                stream.cancel();
            }
        }
    }

    private Multi<Buffer> body() {
        return Multi.createFrom().<Buffer> emitter(em -> {
            synchronized (this) {
                emitter = em;
                while (!pending.isEmpty()) {
                    em.emit(pending.poll());
                }
                if (completed) {
                    em.complete();
                    return;
                }
            }
            em.onRequest(n -> {
                LlamaServerClient.Stream s = stream;
                if (s != null) {
                    s.resume();
                }
            });
            em.onTermination(() -> {
                boolean upstreamDone;
                synchronized (this) {
                    upstreamDone = completed;
                    cancelled = true;
                }
                LlamaServerClient.Stream s = stream;
                if (!upstreamDone && s != null) {
                    s.cancel(); // the client went away: stop generating
                }
            });
        }, BackPressureStrategy.BUFFER);
    }

    @Override
    public void onStart() {
        head.complete(new Head(200, SSE_HEADERS, body()));
    }

    @Override
    public void onData(Buffer data) {
        if (isUsageChunk(data)) {
            reportUsage(data);
            if (!clientWantsUsage) {
                return;
            }
        }
        Buffer frame = Buffer.buffer(data.length() + PREFIX.length + SUFFIX.length).appendBytes(PREFIX)
                .appendBuffer(data).appendBytes(SUFFIX);
        emit(frame, false);
    }

    @Override
    public void onComplete() {
        emit(DONE, true);
    }

    @Override
    public void onError(UpstreamException error) {
        if (!head.isDone()) {
            OpenAiErrors.Answer e = OpenAiErrors.upstream(error);
            head.complete(new Head(e.status(), e.headers(), Multi.createFrom().item(e.body())));
            return;
        }
        // the answer had started: tell the client in the stream, as OpenAI does
        Buffer body = OpenAiErrors.upstream(error).body();
        emit(Buffer.buffer().appendBytes(PREFIX).appendBuffer(body).appendBytes(SUFFIX), true);
    }

    private void emit(Buffer frame, boolean last) {
        MultiEmitter<? super Buffer> em;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            if (last) {
                completed = true;
            }
            em = emitter;
            if (em == null) {
                if (pending.size() < MAX_PENDING) {
                    pending.add(frame);
                    return;
                }
                cancelled = true; // nobody subscribed to a long answer: the client is gone
            }
        }
        if (em == null) {
            LlamaServerClient.Stream s = stream;
            if (s != null) {
                s.cancel();
            }
            return;
        }
        em.emit(frame);
        if (last) {
            em.complete();
        } else if (em.requested() <= 0) {
            LlamaServerClient.Stream s = stream;
            if (s != null) {
                // on the upstream connection's loop; the client's next request for items resumes it after this
                s.pause();
                if (em.requested() > 0) {
                    s.resume();
                }
            }
        }
    }

    private static final byte[] USAGE_CHUNK = "{\"choices\":[],".getBytes();

    /** llama-server writes the usage chunk as {"choices":[],...,"usage":{...}}: a byte test, no copy per chunk. */
    private static boolean isUsageChunk(Buffer data) {
        return data.length() > USAGE_CHUNK.length && Bytes.startsWith(data, USAGE_CHUNK)
                && data.toString().contains("\"usage\"");
    }

    private void reportUsage(Buffer data) {
        LlamaServerClient.Stream s = stream;
        if (s == null) {
            return;
        }
        try {
            OpenAiResource.reportUsage(OpenAiResource.MAPPER.readTree(data.getBytes()), s.exchange());
        } catch (IOException e) {
            // the client still gets the chunk as it came; only the metrics miss this sample
            LOG.warnf("llama-server sent a usage chunk that is not JSON: %s", data);
        }
    }
}
