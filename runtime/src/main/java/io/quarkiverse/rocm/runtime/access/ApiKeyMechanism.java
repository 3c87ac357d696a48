package io.quarkiverse.rocm.runtime.access;

import java.util.Set;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads an API key from {@code Authorization: Bearer <key>} or {@code x-api-key: <key>} (Anthropic's clients send
 * that) and has {@link ApiKeyIdentityProvider} turn it into an identity. A key that is not one of the configured
 * gives no identity here, so another mechanism (OIDC and JWT read bearer tokens too) may still accept it. On the
 * API's paths its challenge is the API's own error answer (401, or the 403 of closed operator endpoints).
 */
@Singleton
public class ApiKeyMechanism implements HttpAuthenticationMechanism {

    /**
     * Before the others (basic's is 2000, OIDC's and JWT's about 1000), so that on the API's paths the API's refusal
     * is the challenge; elsewhere this mechanism sends none and leaves the challenge to them.
     */
    static final int PRIORITY = 3000;

    private static final Uni<Boolean> NOT_MINE = Uni.createFrom().item(false);

    @Inject
    ApiKeys keys;

    @Inject
    ApiPaths paths;

    @Inject
    Instance<RefusalWriter> writer;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext ctx, IdentityProviderManager identities) {
        String key = keys.any() ? key(ctx.request()) : null;
        if (key == null) {
            return Uni.createFrom().nullItem();
        }
        AuthenticationRequest request = HttpSecurityUtils.setRoutingContextAttribute(new ApiKeyAuthenticationRequest(key),
                ctx);
        // not a configured key: no identity from this mechanism (the caller may be someone else's, or anonymous)
        return identities.authenticate(request).onFailure(AuthenticationFailedException.class).recoverWithNull();
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext ctx) {
        return paths.api(ctx.normalizedPath())
                ? Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"))
                : Uni.createFrom().nullItem();
    }

    @Override
    public Uni<Boolean> sendChallenge(RoutingContext ctx) {
        if (!paths.api(ctx.normalizedPath()) || !writer.isResolvable()) {
            return NOT_MINE;
        }
        Refusal refusal = ctx.get(Refusal.KEY);
        if (refusal == null) {
            refusal = Refusal.unauthorized(key(ctx.request()) != null);
        }
        if (refusal.status() == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
        }
        writer.get().write(ctx, refusal);
        return Uni.createFrom().item(true);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiKeyAuthenticationRequest.class);
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }

    /** The key a request sent, or null. */
    static String key(HttpServerRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        String apiKey = request.getHeader("x-api-key");
        return apiKey == null ? null : apiKey.trim();
    }
}
