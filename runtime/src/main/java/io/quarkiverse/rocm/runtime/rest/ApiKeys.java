package io.quarkiverse.rocm.runtime.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/** The API keys the OpenAI API accepts ({@code quarkus.rocm.openai.api-keys}), compared in constant time. */
final class ApiKeys {

    private final List<byte[]> keys;

    ApiKeys(Optional<List<String>> configured) {
        this.keys = configured.orElse(List.of()).stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** The refusal of an {@code Authorization} header, or null when it may pass. */
    OpenAiErrors.Answer check(String authorization) {
        if (keys.isEmpty()) {
            return null;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return OpenAiErrors.unauthorized();
        }
        byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        for (byte[] key : keys) {
            // constant time, and every key compared, so timing says nothing about which part matched
            ok |= MessageDigest.isEqual(given, key);
        }
        return ok ? null : OpenAiErrors.unauthorized();
    }
}
