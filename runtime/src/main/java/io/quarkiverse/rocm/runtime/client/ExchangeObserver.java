package io.quarkiverse.rocm.runtime.client;

/**
 * Sees every request to a llama-server, for metrics: when it starts, is admitted past the queue, receives its first
 * and every further token, what it used, and how it ended. Implementations must be fast and must not throw.
 */
public interface ExchangeObserver {

    /** Observes nothing. */
    ExchangeObserver NOOP = (model, endpoint) -> Exchange.NOOP;

    /** A request of {@code endpoint} (for example {@code /v1/chat/completions}) to model {@code model} starts. */
    Exchange start(String model, String endpoint);

    /** One request. */
    interface Exchange {

        Exchange NOOP = new Exchange() {
        };

        /** It got a place at llama-server (after waiting in the queue, perhaps). */
        default void admitted() {
        }

        /** The first streamed piece arrived. */
        default void firstToken() {
        }

        /** A further streamed piece arrived. */
        default void token() {
        }

        /** Token usage and generation speed, as llama-server reported them. */
        default void usage(int promptTokens, int completionTokens, double tokensPerSecond) {
        }

        /** It ended: the HTTP status, 499 when the caller cancelled, 0 when the connection broke. */
        default void end(int status) {
        }
    }
}
