package org.acme;

// tag::tools[]
import jakarta.enterprise.context.ApplicationScoped;

import dev.langchain4j.agent.tool.Tool;

@ApplicationScoped
public class WeatherTools {

    @Tool("Returns the weather forecast of a city for the next days")
    public String forecast(String city, int days) {
        return "Sunny in " + city + " for the next " + days + " day(s)";
    }
}
// end::tools[]
