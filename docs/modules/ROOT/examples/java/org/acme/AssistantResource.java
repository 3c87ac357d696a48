package org.acme;

// tag::resource[]
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

import io.smallrye.common.annotation.Blocking;

@Path("/assistant")
public class AssistantResource {

    @Inject
    Assistant assistant;

    @GET
    @Blocking // the model answers in seconds: not on the event loop
    public String ask(@QueryParam("q") String question) {
        return assistant.chat(question);
    }
}
// end::resource[]
