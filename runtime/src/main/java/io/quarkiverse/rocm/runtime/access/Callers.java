package io.quarkiverse.rocm.runtime.access;

import io.quarkiverse.rocm.runtime.client.ExchangeObserver;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.ext.web.RoutingContext;

/** Who sent a request through the API: its Quarkus Security identity's name, or {@code anonymous}. */
public final class Callers {

    private Callers() {
    }

    public static String of(RoutingContext ctx) {
        if (ctx.user() instanceof QuarkusHttpUser user) {
            SecurityIdentity identity = user.getSecurityIdentity();
            if (identity != null && !identity.isAnonymous() && identity.getPrincipal() != null) {
                return identity.getPrincipal().getName();
            }
        }
        return ExchangeObserver.Request.ANONYMOUS;
    }
}
