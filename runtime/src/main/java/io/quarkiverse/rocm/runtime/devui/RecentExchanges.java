package io.quarkiverse.rocm.runtime.devui;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Singleton;

import io.quarkiverse.rocm.runtime.client.ExchangeObserver;
import io.quarkiverse.rocm.runtime.client.Usage;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

/**
 * The last exchanges with the models, for the Dev UI (dev mode only): when, which endpoint and model, who asked, how
 * it ended, its tokens, queue wait, time to first token and duration; each one sent to the open pages as it ends.
 * The request's and the answer's content only with {@code quarkus.rocm.capture-content=true}.
 */
@Singleton
public class RecentExchanges implements ExchangeObserver {

    /** How many are kept. */
    static final int KEPT = 200;

    /** One exchange as the page shows it; times in milliseconds, -1 when there was none (no queue, no stream). */
    public record Row(String at, String endpoint, String model, String caller, int status, int promptTokens,
            int completionTokens, int cachedTokens, double queueMs, double firstTokenMs, double durationMs,
            String request, String answer) {
    }

    private final ArrayDeque<Row> rows = new ArrayDeque<>();
    private final BroadcastProcessor<Row> live = BroadcastProcessor.create();

    @Override
    public Exchange start(String model, String endpoint, Request request) {
        long start = System.nanoTime();
        Instant at = Instant.now();
        return new Exchange() {
            private volatile double queueMs = -1, firstTokenMs = -1;
            private volatile Usage usage;
            private volatile String answer;

            @Override
            public void answer(String content) {
                if (request.captured()) {
                    answer = content;
                }
            }

            @Override
            public void admitted() {
                queueMs = millis(System.nanoTime() - start);
            }

            @Override
            public void firstToken() {
                firstTokenMs = millis(System.nanoTime() - start);
            }

            @Override
            public void usage(Usage u) {
                usage = u;
            }

            @Override
            public void end(int status) {
                Usage u = usage;
                add(new Row(at.toString(), endpoint, model, request.caller(), status, u == null ? 0 : u.promptTokens(),
                        u == null ? 0 : u.completionTokens(), u == null ? 0 : u.cachedTokens(), queueMs,
                        firstTokenMs, millis(System.nanoTime() - start), request.content(), answer));
            }
        };
    }

    private void add(Row row) {
        synchronized (rows) {
            if (rows.size() == KEPT) {
                rows.removeFirst();
            }
            rows.addLast(row);
        }
        live.onNext(row);
    }

    /** The kept exchanges, the newest first. */
    public List<Row> rows() {
        synchronized (rows) {
            List<Row> out = new ArrayList<>(rows);
            java.util.Collections.reverse(out);
            return out;
        }
    }

    /** Each exchange as it ends. */
    public Multi<Row> live() {
        return live;
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }
}
