package org.acme;

// tag::structured[]
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.langchain4j.service.UserMessage;
import io.quarkiverse.langchain4j.RegisterAiService;

@RegisterAiService
public interface Forecasts {

    record Forecast(@JsonProperty(required = true) String city, @JsonProperty(required = true) String summary) {
    }

    @UserMessage("Give the forecast for {city} as JSON.")
    Forecast forecast(String city); // answered under the record's JSON schema: llama-server's grammar enforces it
}
// end::structured[]
