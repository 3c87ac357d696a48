package io.quarkiverse.rocm.runtime.access;

import io.vertx.ext.web.RoutingContext;

/** Writes a refusal in the shape of the API the request was for (a bean of the API's layer). */
public interface RefusalWriter {

    void write(RoutingContext ctx, Refusal refusal);
}
