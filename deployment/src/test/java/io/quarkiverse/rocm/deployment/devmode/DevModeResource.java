package io.quarkiverse.rocm.deployment.devmode;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

import io.quarkiverse.langchain4j.ModelName;
import io.quarkiverse.rocm.runtime.langchain4j.RocmChatModel;
import io.smallrye.common.annotation.Blocking;

/** The dev-mode tests' application code: asks a model, with a version prefix a test edits to see the reload. */
@Path("/dev-test")
public class DevModeResource {

    @Inject
    @Any
    Instance<RocmChatModel> models;

    @GET
    @Path("/ask")
    @Blocking
    public String ask(@QueryParam("model") String model) {
        RocmChatModel m = "default".equals(model) ? models.select(Default.Literal.INSTANCE).get()
                : models.select(ModelName.Literal.of(model)).get();
        return "v1 " + m.chat("Hi");
    }
}
