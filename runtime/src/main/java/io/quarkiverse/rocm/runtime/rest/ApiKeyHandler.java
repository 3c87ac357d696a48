package io.quarkiverse.rocm.runtime.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import io.quarkiverse.rocm.runtime.client.ExchangeObserver;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * The one check of the API keys ({@code quarkus.rocm.openai.api-keys}), in front of every route of the API (the Vert.x
 * relays and the REST resource alike): a request without a configured key is refused with OpenAI's 401 before
 * anything else reads it. Keys are compared in constant time, every key, so timing says nothing about which part
 * matched; nothing about them is logged. Counted among the API's requests (model {@code none}).
 */
public final class ApiKeyHandler implements Handler<RoutingContext> {

    private final List<byte[]> keys;
    private final Supplier<ExchangeObserver> observer;

    public ApiKeyHandler(Optional<List<String>> configured, Supplier<ExchangeObserver> observer) {
        this.keys = configured.orElse(List.of()).stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
        this.observer = observer;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (allowed(ctx.request().getHeader("Authorization"))) {
            ctx.next();
            return;
        }
        OpenAiErrors.Answer refusal = OpenAiErrors.unauthorized();
        observer.get().start("none", ctx.normalizedPath()).end(refusal.status());
        OpenAiRelay.write(ctx, refusal);
    }

    /** Whether an {@code Authorization} header may pass: any, when no key is configured. */
    boolean allowed(String authorization) {
        if (keys.isEmpty()) {
            return true;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        for (byte[] key : keys) {
            ok |= MessageDigest.isEqual(given, key);
        }
        return ok;
    }
}
