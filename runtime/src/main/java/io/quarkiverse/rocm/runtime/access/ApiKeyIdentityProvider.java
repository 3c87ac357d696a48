package io.quarkiverse.rocm.runtime.access;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Turns a configured API key into a Quarkus Security identity: named after the key's place in its list, with the
 * caller role, and the operator role for an operator key. An unknown key gives no identity (another mechanism or
 * provider may know it, else the caller stays anonymous and the API's policy refuses it).
 */
@Singleton
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyAuthenticationRequest> {

    @Inject
    ApiKeys keys;

    @Override
    public Class<ApiKeyAuthenticationRequest> getRequestType() {
        return ApiKeyAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyAuthenticationRequest request, AuthenticationRequestContext context) {
        return keys.holder(request.key())
                .map(h -> Uni.createFrom().<SecurityIdentity> item(QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(h.name())).addRoles(h.roles()).build()))
                .orElseGet(() -> Uni.createFrom().nullItem());
    }
}
