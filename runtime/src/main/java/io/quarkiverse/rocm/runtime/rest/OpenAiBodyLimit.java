package io.quarkiverse.rocm.runtime.rest;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses an API request whose declared body is too large in OpenAI's shape, before the HTTP server's own limit
 * ({@code quarkus.http.limits.max-body-size}) answers it with a bare 413. A chunked body without a length is counted
 * by {@link OpenAiRelay} as it is read.
 */
public final class OpenAiBodyLimit implements Handler<RoutingContext> {

    private final long apiLimit;
    private final long serverLimit;

    public OpenAiBodyLimit(long apiLimit, long serverLimit) {
        this.apiLimit = apiLimit;
        this.serverLimit = serverLimit;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String length = ctx.request().getHeader("Content-Length");
        long declared = -1;
        if (length != null) {
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                declared = -1; // the HTTP server refuses a malformed length itself
            }
        }
        if (declared > apiLimit || declared > serverLimit) {
            OpenAiErrors.Answer tooLarge = declared > apiLimit ? OpenAiErrors.tooLarge(declared, apiLimit)
                    : OpenAiErrors.of(413, "invalid_request_error", "request_too_large", null, "The request body is "
                            + declared + " bytes; the HTTP server's limit is " + serverLimit
                            + " (quarkus.http.limits.max-body-size).");
            ctx.response().putHeader("Connection", "close");
            OpenAiRelay.write(ctx, tooLarge);
            return;
        }
        ctx.next();
    }
}
