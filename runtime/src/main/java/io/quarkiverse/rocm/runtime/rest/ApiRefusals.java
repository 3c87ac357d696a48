package io.quarkiverse.rocm.runtime.rest;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.rocm.runtime.access.Callers;
import io.quarkiverse.rocm.runtime.access.Refusal;
import io.quarkiverse.rocm.runtime.access.RefusalWriter;
import io.quarkiverse.rocm.runtime.client.ExchangeObserver;
import io.quarkiverse.rocm.runtime.client.LlamaServerClients;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * The API's refusals in OpenAI's error shape, counted among the API's requests (model {@code none}): written as the
 * challenge of the API-key mechanism (401, and the 403 of closed operator endpoints) and, as the failure handler of
 * the API's routes, for a request Quarkus Security forbade (403: a policy's refusal, the application's own included).
 */
@Singleton
public class ApiRefusals implements RefusalWriter, Handler<RoutingContext> {

    @Inject
    LlamaServerClients clients;

    @Inject
    io.quarkiverse.rocm.runtime.access.ApiPaths paths;

    @Override
    public void write(RoutingContext ctx, Refusal refusal) {
        OpenAiErrors.Answer answer = OpenAiErrors.of(refusal.status(), "invalid_request_error", refusal.code(), null,
                refusal.message());
        clients.observer().start("none", ctx.normalizedPath(), ExchangeObserver.Request.of(Callers.of(ctx)))
                .end(answer.status());
        OpenAiRelay.write(ctx, Dialect.of(paths.root(), ctx.normalizedPath()).shape(answer));
    }

    /** The failure handler of the API's routes: what Quarkus Security refused, in the API's shape. */
    @Override
    public void handle(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        Refusal refusal = ctx.get(Refusal.KEY);
        if (failure instanceof ForbiddenException) {
            write(ctx, refusal != null && refusal.status() == 403 ? refusal
                    : new Refusal(403, "permission_denied", "Refused by the application's HTTP security policy"
                            + " (quarkus.http.auth.permission.*) for " + ctx.request().method() + " "
                            + ctx.normalizedPath() + "."));
        } else if (failure instanceof UnauthorizedException || failure instanceof AuthenticationFailedException) {
            write(ctx, refusal != null && refusal.status() == 401 ? refusal
                    : new Refusal(401, "invalid_api_key", "Authentication failed or is missing: send one of"
                            + " quarkus.rocm.openai.api-keys as 'Authorization: Bearer <key>'."));
        } else {
            ctx.next();
        }
    }
}
