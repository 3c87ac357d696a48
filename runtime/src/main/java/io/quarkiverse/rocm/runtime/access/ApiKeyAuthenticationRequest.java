package io.quarkiverse.rocm.runtime.access;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** An API key as a request sent it, for {@link ApiKeyIdentityProvider}. */
public final class ApiKeyAuthenticationRequest extends BaseAuthenticationRequest {

    private final String key;

    public ApiKeyAuthenticationRequest(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    @Override
    public String toString() {
        return "ApiKeyAuthenticationRequest"; // never the key
    }
}
