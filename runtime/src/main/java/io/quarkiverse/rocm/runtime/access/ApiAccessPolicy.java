package io.quarkiverse.rocm.runtime.access;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.rocm.runtime.config.OpenAiConfig;
import io.quarkiverse.rocm.runtime.config.RocmRuntimeConfig;
import io.quarkus.arc.ClientProxy;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Who may call the API, as a global Quarkus HTTP security policy (so it holds together with the application's own
 * {@code quarkus.http.auth.permission.*} policies, which may refuse more but not open more): the operator endpoints
 * need the {@code operator-role}; the other routes need the {@code caller-role} (or the operator's) when
 * {@code api-keys} are set, and are open otherwise. Paths outside the API are not this policy's business.
 */
@Singleton
public class ApiAccessPolicy implements HttpSecurityPolicy {

    private static final Uni<CheckResult> PERMIT = Uni.createFrom().item(CheckResult.PERMIT);

    @Inject
    ApiPaths paths;

    @Inject
    ApiKeys keys;

    @Inject
    RocmRuntimeConfig config;

    @Inject
    Instance<HttpAuthenticationMechanism> mechanisms;

    private volatile Boolean otherMechanisms;

    @Override
    public Uni<CheckResult> checkPermission(RoutingContext ctx, Uni<SecurityIdentity> identity,
            AuthorizationRequestContext requestContext) {
        String path = ctx.normalizedPath();
        if (!paths.api(path)) {
            return PERMIT;
        }
        boolean operator = paths.operator(ctx.request().method(), path);
        if (!operator && !keys.callerKeys()) {
            return PERMIT;
        }
        return identity.map(id -> {
            Refusal refusal = operator ? asOperator(id, ctx) : asCaller(id, ctx);
            if (refusal == null) {
                return CheckResult.PERMIT;
            }
            ctx.put(Refusal.KEY, refusal);
            return CheckResult.DENY;
        });
    }

    private Refusal asCaller(SecurityIdentity id, RoutingContext ctx) {
        OpenAiConfig c = config.openai();
        if (id.hasRole(c.callerRole()) || id.hasRole(c.operatorRole())) {
            return null;
        }
        if (id.isAnonymous()) {
            return Refusal.unauthorized(ApiKeyMechanism.key(ctx.request()) != null);
        }
        return Refusal.forbidden("'" + id.getPrincipal().getName() + "' may not call this API: it needs the role '"
                + c.callerRole() + "' (quarkus.rocm.openai.caller-role), which the keys of quarkus.rocm.openai.api-keys"
                + " carry; map its roles onto it with quarkus.http.auth.roles-mapping, or call with one of those keys.");
    }

    private Refusal asOperator(SecurityIdentity id, RoutingContext ctx) {
        OpenAiConfig c = config.openai();
        if (id.hasRole(c.operatorRole())) {
            return null;
        }
        if (id.isAnonymous()) {
            if (keys.operatorKeys() || otherMechanisms()) {
                return new Refusal(401, "invalid_api_key", "This is an operator's endpoint: send one of"
                        + " quarkus.rocm.openai.operator-keys as 'Authorization: Bearer <key>' or 'x-api-key: <key>'.");
            }
            return Refusal.forbidden("The operator endpoints are closed: no operator key is configured. Set"
                    + " quarkus.rocm.openai.operator-keys and call with one of them.");
        }
        return Refusal.forbidden("'" + id.getPrincipal().getName() + "' may not use the operator endpoints: they need the"
                + " role '" + c.operatorRole() + "' (quarkus.rocm.openai.operator-role), which the keys of"
                + " quarkus.rocm.openai.operator-keys carry.");
    }

    /** Whether another authentication mechanism (basic, OIDC, JWT, ...) could give an operator's identity. */
    private boolean otherMechanisms() {
        Boolean others = otherMechanisms;
        if (others == null) {
            others = false;
            for (HttpAuthenticationMechanism m : mechanisms) {
                others |= !(ClientProxy.unwrap(m) instanceof ApiKeyMechanism);
            }
            otherMechanisms = others;
        }
        return others;
    }
}
