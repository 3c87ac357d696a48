package io.quarkiverse.rocm.runtime.client;

import java.util.concurrent.atomic.AtomicBoolean;

import io.vertx.core.http.HttpClientRequest;

/**
 * The end of one exchange, exactly once however it comes (the answer, an error, the caller gone): its admission
 * released and its observation ended with the status the caller got (499 when it went away). A caller that goes
 * away leaves the line it waits in, or has its connection closed, so that llama-server stops generating and frees
 * the slot.
 */
final class ExchangeEnd {

    final Admission admission;
    final ExchangeObserver.Exchange exchange;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private volatile HttpClientRequest request;

    ExchangeEnd(Admission admission, ExchangeObserver.Exchange exchange) {
        this.admission = admission;
        this.exchange = exchange;
    }

    /** The request is on its way: cancelling from now on resets it. Resets it at once if cancelled already. */
    void sent(HttpClientRequest r) {
        request = r;
        if (cancelled.get()) {
            r.reset();
        }
    }

    /** Ends the exchange with {@code status}, once; false when it had ended. */
    boolean end(int status) {
        return end(status, null);
    }

    /**
     * Ends the exchange with {@code status}, once: what it holds is given back first, then {@code meanwhile} runs (the
     * caller learns the answer, and reports its usage), then its observation ends; false when it had ended.
     */
    boolean end(int status, Runnable meanwhile) {
        if (!ended.compareAndSet(false, true)) {
            return false;
        }
        admission.release();
        try {
            if (meanwhile != null) {
                meanwhile.run();
            }
        } finally {
            exchange.end(status);
        }
        return true;
    }

    boolean ended() {
        return ended.get();
    }

    /** The caller went away; false when it already had. */
    boolean cancel() {
        if (!cancelled.compareAndSet(false, true)) {
            return false;
        }
        if (ended.get()) {
            return true; // over already: nothing to stop
        }
        admission.cancel();
        HttpClientRequest r = request;
        if (r != null) {
            r.reset();
        }
        end(499);
        return true;
    }

    boolean cancelled() {
        return cancelled.get();
    }
}
