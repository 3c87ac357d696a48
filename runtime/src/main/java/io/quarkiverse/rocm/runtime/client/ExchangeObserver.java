package io.quarkiverse.rocm.runtime.client;

import java.util.List;

import io.quarkiverse.rocm.runtime.scheduling.KeepAlive;

/**
 * Sees every request to a llama-server, for metrics, traces and the Dev UI: when it starts and for whom, is admitted
 * past the queue, receives its first and every further token, what it used, and how it ended. Implementations must be
 * fast and must not throw.
 */
public interface ExchangeObserver {

    /** Observes nothing. */
    ExchangeObserver NOOP = (model, endpoint, request) -> Exchange.NOOP;

    /**
     * A request of {@code endpoint} (for example {@code /v1/chat/completions}) to model {@code model} (its name in
     * this application) starts.
     */
    Exchange start(String model, String endpoint, Request request);

    /** All of {@code observers}, in turn. */
    static ExchangeObserver all(List<ExchangeObserver> observers) {
        return switch (observers.size()) {
            case 0 -> NOOP;
            case 1 -> observers.get(0);
            default -> new ExchangeObservers(List.copyOf(observers));
        };
    }

    /**
     * Who asked, and the generation parameters it gave (null when not given): the caller is the identity's name (an
     * API key's, the authenticated principal's), {@value #ANONYMOUS} without one, {@value #APPLICATION} for the
     * application's own calls through the chat and embedding models; {@code content} is the request's JSON when
     * {@code quarkus.rocm.capture-content} is on, else null; {@code keepAlive}: how long its model should stay loaded
     * once idle, when the request asked (null: the model's {@code keep-alive}); {@code conversation}: the conversation
     * it continues, when the caller named it (null: recognised by its prefix, where that matters).
     */
    record Request(String caller, Integer maxTokens, Double temperature, Double topP, String content,
            KeepAlive keepAlive, String conversation) {

        public static final String ANONYMOUS = "anonymous";
        public static final String APPLICATION = "application";

        /** The application's own request, without parameters. */
        public static final Request OWN = of(APPLICATION);

        public Request(String caller, Integer maxTokens, Double temperature, Double topP, String content) {
            this(caller, maxTokens, temperature, topP, content, null, null);
        }

        public static Request of(String caller) {
            return new Request(caller, null, null, null, null);
        }

        /** This request, asking its model to stay loaded for {@code keepAlive} once idle (Ollama's keep_alive). */
        public Request keepingAlive(KeepAlive keepAlive) {
            return new Request(caller, maxTokens, temperature, topP, content, keepAlive, conversation);
        }

        /** This request, continuing the conversation the caller named ({@code null}: none named). */
        public Request inConversation(String conversation) {
            return new Request(caller, maxTokens, temperature, topP, content, keepAlive, conversation);
        }

        /** Whether the content is captured ({@code quarkus.rocm.capture-content}): the answer's is then reported too. */
        public boolean captured() {
            return content != null;
        }
    }

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

        /** What the answer used and how it finished, as llama-server reported it. */
        default void usage(Usage usage) {
        }

        /** The answer as llama-server sent it (a stream's events), when the request's content is captured. */
        default void answer(String content) {
        }

        /** It ended: the HTTP status, 499 when the caller cancelled, 0 when the connection broke. */
        default void end(int status) {
        }
    }
}
