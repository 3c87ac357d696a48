package io.quarkiverse.rocm.it;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;

import dev.langchain4j.agent.tool.Tool;

/** A tool the agent can call; it remembers its calls so that tests can see them. */
@ApplicationScoped
public class WeatherTools {

    private final List<String> calls = new CopyOnWriteArrayList<>();

    @Tool("Returns the weather forecast of a city for the next days")
    public String forecast(String city, int days) {
        calls.add(city + "/" + days);
        return "Sunny in " + city + " for the next " + days + " day(s)";
    }

    public List<String> calls() {
        return calls;
    }
}
