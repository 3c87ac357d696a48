package io.quarkiverse.rocm.it;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestStreamElementType;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;

/** The agent over HTTP: {@code GET /agent?q=...}, and streamed as server-sent events. */
@Path("/agent")
public class AgentResource {

    @Inject
    WeatherAgent agent;

    @GET
    @Blocking
    @Produces(MediaType.TEXT_PLAIN)
    public String ask(@QueryParam("q") String question) {
        return agent.ask(question == null ? "What is the weather in Paris?" : question);
    }

    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.TEXT_PLAIN)
    public Multi<String> stream(@QueryParam("q") String question) {
        return agent.askStreaming(question == null ? "What is the weather in Paris?" : question);
    }
}
