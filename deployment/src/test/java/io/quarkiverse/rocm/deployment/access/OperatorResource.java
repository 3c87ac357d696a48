package io.quarkiverse.rocm.deployment.access;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import io.quarkus.security.identity.SecurityIdentity;

/** An application's own resource behind the operator role: the API's keys reach it as Quarkus identities. */
@Path("/ops")
public class OperatorResource {

    @Inject
    SecurityIdentity identity;

    @GET
    @RolesAllowed("rocm-operator")
    public String whoami() {
        return identity.getPrincipal().getName();
    }
}
