package io.quarkiverse.rocm.runtime.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.WithDefault;

/** The OpenAI-compatible API ({@code quarkus.rocm.openai.enabled=true} at build time). */
public interface OpenAiConfig {

    /**
     * The callers' API keys, sent as {@code Authorization: Bearer <key>} or {@code x-api-key: <key>}. Each becomes a
     * Quarkus Security identity named {@code api-key-1}, {@code api-key-2}, ... (its place in this list) with the
     * {@code caller-role}. Set: every route of the API needs an identity with the {@code caller-role} or the
     * {@code operator-role} (from these keys, the operator keys, or another Quarkus authentication mechanism). Unset:
     * the API's routes other than the operators' are open, as on a private network.
     */
    Optional<List<String>> apiKeys();

    /**
     * The operators' API keys, sent like the callers'. Each becomes an identity named {@code operator-key-1}, ... with
     * the {@code operator-role} and the {@code caller-role}: it may call everything a caller may, and the operator
     * endpoints ({@code POST models/{id}/load} and {@code /unload}), which are closed to everyone else. Without these
     * keys and without another Quarkus authentication mechanism the operator endpoints answer 403.
     */
    Optional<List<String>> operatorKeys();

    /**
     * The role the API's routes require when {@code api-keys} are set; the callers' keys carry it. Map another
     * mechanism's roles onto it with {@code quarkus.http.auth.roles-mapping}, or name one of that mechanism's roles here.
     */
    @WithDefault("rocm-caller")
    String callerRole();

    /** The role the operator endpoints require; the operators' keys carry it. */
    @WithDefault("rocm-operator")
    String operatorRole();

    /**
     * The largest request body accepted; bigger ones get 413.
     */
    @WithDefault("8M")
    MemorySize maxBodySize();

    /**
     * The longest wait for a whole answer, or, streaming, between two pieces of it (the wait for a starting or
     * queued model included); then 504.
     */
    @WithDefault("5m")
    Duration timeout();
}
