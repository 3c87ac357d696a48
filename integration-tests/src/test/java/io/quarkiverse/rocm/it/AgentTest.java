package io.quarkiverse.rocm.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A full agent loop through quarkus-langchain4j on the rocm provider: the model calls the tool, gets its result and
 * answers from it; blocking and streaming.
 */
@QuarkusTest
class AgentTest {

    @Inject
    WeatherAgent agent;

    @Inject
    WeatherTools tools;

    @Inject
    RecordingListener listener;

    @BeforeEach
    void clear() {
        tools.calls().clear();
        listener.clear();
    }

    @Test
    void theAgentCallsTheToolAndAnswers() {
        String answer = agent.ask("What is the weather in Paris?");
        assertThat(answer).isEqualTo(TinyModel.DEFAULT_REPLY);
        assertThat(tools.calls()).containsExactly(TinyModel.DEFAULT_REPLY + "/1");
        assertThat(listener.requests).as("the tool call, then the answer").hasSize(2);
        assertThat(listener.responses).hasSize(2);
    }

    @Test
    void theStreamingAgentCallsTheToolAndStreamsTheAnswer() {
        List<String> pieces = agent.askStreaming("What is the weather in Paris?").collect().asList()
                .await().atMost(Duration.ofSeconds(60));
        assertThat(String.join("", pieces)).isEqualTo(TinyModel.DEFAULT_REPLY);
        assertThat(pieces).hasSizeGreaterThan(1);
        assertThat(tools.calls()).containsExactly(TinyModel.DEFAULT_REPLY + "/1");
    }

    @Test
    void theAgentOverHttp() {
        given().queryParam("q", "Weather in Rome?").get("/agent").then().statusCode(200)
                .body(equalTo(TinyModel.DEFAULT_REPLY));
        assertThat(tools.calls()).hasSize(1);
    }
}
