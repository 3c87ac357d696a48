package io.quarkiverse.rocm.runtime.rest;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import io.quarkiverse.rocm.runtime.client.RelayExchange;
import io.quarkiverse.rocm.runtime.client.UpstreamException;
import io.quarkiverse.rocm.runtime.client.Usage;
import io.quarkiverse.rocm.runtime.json.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;

/**
 * Relays a streamed answer of llama-server to the API's client as it comes: each piece the upstream connection
 * delivers is written on as it is, in one write (llama-server already frames its events as OpenAI's). Nothing is parsed
 * on the way: only the last pieces are kept, and read once at the end for the usage, the {@code [DONE]} and an error
 * event. The client's write queue paces the upstream reads (a slow reader never makes the JVM buffer an answer), and a
 * client that goes away closes the upstream connection, which stops the generation and frees the slot.
 */
final class StreamRelay {

    private static final Logger LOG = Logger.getLogger(StreamRelay.class);
    /** Pieces kept for the end: the final chunk (with the timings) and [DONE] are in the last few. */
    static final int KEPT = 8;
    private static final Buffer DATA_ERROR = Buffer.buffer("data: {\"error\"");

    private final RelayExchange upstream;
    /** What the stream's last event holds when it is complete, and the dialect of an error event. */
    private final Kind kind;
    private final HttpServerResponse down;
    private final ArrayDeque<Buffer> last = new ArrayDeque<>(KEPT);
    private boolean first = true;
    private volatile boolean finished;
    /** The whole answer, when its content is captured ({@code quarkus.rocm.capture-content}), up to a bound. */
    private final Buffer captured;

    /** The most of a streamed answer kept for its observers when content is captured. */
    static final int CAPTURED_MAX = 1 << 20;

    private StreamRelay(RelayExchange upstream, HttpServerResponse down, boolean capture, Kind kind) {
        this.upstream = upstream;
        this.kind = kind;
        this.down = down;
        this.captured = capture ? Buffer.buffer() : null;
    }

    /**
     * Starts relaying a 200 answer; runs on the event loop that reads {@code up} and writes {@code down}.
     *
     * @param capture whether the answer's content goes to the exchange's observers
     * @param kind the endpoint: how its stream ends, how an error event is written
     */
    static void start(RelayExchange upstream, HttpClientResponse up, HttpServerResponse down, boolean capture,
            Kind kind) {
        new StreamRelay(upstream, down, capture, kind).pump(up);
    }

    private void pump(HttpClientResponse up) {
        down.setStatusCode(200).setChunked(true).putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache").putHeader("X-Accel-Buffering", "no");
        down.closeHandler(v -> {
            if (!finished) { // the client went away: stop generating
                finished = true;
                upstream.cancel();
            }
        });
        up.handler(piece -> {
            if (finished) {
                return;
            }
            if (first) {
                first = false;
                upstream.exchange().firstToken();
            } else {
                upstream.exchange().token();
            }
            if (last.size() == KEPT) {
                last.removeFirst();
            }
            last.addLast(piece);
            if (captured != null && captured.length() < CAPTURED_MAX) {
                captured.appendBuffer(piece);
            }
            down.write(piece);
            if (down.writeQueueFull()) {
                up.pause();
                down.drainHandler(v -> up.resume());
            }
        });
        up.exceptionHandler(e -> upstream.explain(e).thenAccept(this::fail));
        up.endHandler(v -> end());
    }

    /** The upstream answer ended: read its end once (usage, [DONE], an error event), then end the client's. */
    private void end() {
        if (finished) {
            return;
        }
        finished = true;
        Buffer tail = Buffer.buffer();
        last.forEach(tail::appendBuffer);
        String text = tail.toString();
        int status = text.contains(kind.streamEnd()) ? 200 : errorStatus(tail, text);
        reportUsage(text);
        if (captured != null) {
            upstream.exchange().answer(captured.toString());
        }
        upstream.end(status);
        down.end();
    }

    /** An error event in the stream is llama-server's (500 unless it says otherwise); no [DONE] and no error: broken. */
    private static int errorStatus(Buffer tail, String text) {
        int at = text.lastIndexOf(DATA_ERROR.toString());
        if (at < 0) {
            return 0;
        }
        try {
            int end = text.indexOf("\n", at);
            var json = Json.MAPPER.readTree(text.substring(at + "data: ".length(), end < 0 ? text.length() : end));
            return json.path("error").path("code").asInt(500);
        } catch (IOException | RuntimeException e) {
            return 500;
        }
    }

    private static final Pattern FINISH_REASON = Pattern.compile("\"finish_reason\":\"([a-z_]+)\"");

    /** The last finish reason named in the stream's tail, or null. */
    private static String lastFinishReason(String text) {
        Matcher reason = FINISH_REASON.matcher(text);
        String last = null;
        while (reason.find()) {
            last = reason.group(1);
        }
        return last;
    }

    /** The usage of the final chunk (the last event with llama-server's timings), once. */
    private void reportUsage(String text) {
        int at = text.lastIndexOf("\"timings\"");
        if (at < 0) {
            return;
        }
        int start = text.lastIndexOf("data: ", at);
        int end = text.indexOf('\n', at);
        if (start < 0) {
            return;
        }
        try {
            Usage usage = Usage.of(Json.MAPPER.readTree(text.substring(start + "data: ".length(),
                    end < 0 ? text.length() : end)));
            if (usage != null) {
                upstream.exchange().usage(usage.finishedFor(lastFinishReason(text)));
            }
        } catch (IOException e) {
            // the client got the chunk as it came; only the metrics miss this sample
            LOG.debugf("llama-server's final chunk is not JSON: %s", text);
        }
    }

    /** The answer had started: tell the client in the stream, as OpenAI does, and end it. */
    private void fail(UpstreamException e) {
        if (finished) {
            return;
        }
        finished = true;
        upstream.end(e.statusOrZero());
        down.end(kind.dialect().streamError(OpenAiErrors.upstream(e)));
    }
}
