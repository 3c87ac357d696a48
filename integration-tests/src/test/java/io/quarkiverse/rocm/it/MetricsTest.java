package io.quarkiverse.rocm.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.rocm.runtime.langchain4j.RocmChatModel;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The metrics at /q/metrics move as requests are made, through the API and through the chat model alike. */
@QuarkusTest
class MetricsTest {

    static final String HELLO = "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";
    static final String CHAT = "endpoint=\"/v1/chat/completions\",model=\"default\"";

    @TestHTTPResource("/v1")
    URL v1;

    @Inject
    RocmChatModel model;

    static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of one sample, 0 when it is not there yet. */
    static double value(String metrics, String sample) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " ([0-9.eE+-]+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void requestsTokensAndLatenciesAreCounted() throws Exception {
        String before = metrics();
        given().contentType(ContentType.JSON).body(HELLO + "}").post("/v1/chat/completions").then().statusCode(200);
        Sse.read(Sse.post(v1 + "/chat/completions", HELLO + ",\"stream\":true}").build());
        given().contentType(ContentType.JSON).body(HELLO + ",\"model\":\"nope\"}").post("/v1/chat/completions").then()
                .statusCode(404);
        String after = metrics();
        String ok = "rocm_requests_total{" + CHAT + ",status=\"200\"}";
        assertThat(value(after, ok) - value(before, ok)).isEqualTo(2);
        String notFound = "rocm_requests_total{endpoint=\"/v1/chat/completions\",model=\"none\",status=\"404\"}";
        assertThat(value(after, notFound) - value(before, notFound)).isEqualTo(1);
        String completion = "rocm_tokens_total{model=\"default\",type=\"completion\"}";
        assertThat(value(after, completion) - value(before, completion)).isEqualTo(30);
        String ttft = "rocm_time_to_first_token_seconds_count{" + CHAT + "}";
        assertThat(value(after, ttft) - value(before, ttft)).isEqualTo(1);
        String itl = "rocm_inter_token_latency_seconds_count{model=\"default\"}";
        assertThat(value(after, itl) - value(before, itl)).isGreaterThanOrEqualTo(14);
        assertThat(after).contains("rocm_inter_token_latency_seconds_bucket{model=\"default\",le=")
                .contains("rocm_time_to_first_token_seconds_bucket{" + CHAT + ",le=");
        assertThat(value(after, "rocm_server_up{model=\"default\"}")).isEqualTo(1);
        assertThat(after).contains("rocm_requests_in_flight{model=\"default\"}", "rocm_requests_queued{model=\"default\"}",
                "rocm_server_restarts_total{model=\"default\"}");
        assertThat(value(after, "rocm_tokens_per_second_count{model=\"default\"}")).isPositive();
        // the scheduler's: every demo model was loaded at the start, as planned from its GGUF and then measured
        assertThat(value(after, "rocm_models_loaded")).isGreaterThanOrEqualTo(3);
        assertThat(value(after, "rocm_model_loads_total{model=\"default\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(after, "rocm_model_load_duration_seconds_count{model=\"default\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(after, "rocm_model_memory_planned_bytes{model=\"default\"}")).isGreaterThan(512 << 20);
        assertThat(value(after, "rocm_model_memory_measured_bytes{model=\"default\"}"))
                .as("the resident memory of a CPU server").isPositive();
        assertThat(value(after, "rocm_models_waiting")).isZero();
    }

    @Test
    void theChatModelIsMeasuredToo() {
        String before = metrics();
        model.chat("Hi");
        String after = metrics();
        String ok = "rocm_requests_total{" + CHAT + ",status=\"200\"}";
        assertThat(value(after, ok) - value(before, ok)).isEqualTo(1);
        String prompt = "rocm_tokens_total{model=\"default\",type=\"prompt\"}";
        assertThat(value(after, prompt) - value(before, prompt)).isPositive();
    }

    @Test
    void llamaServersOwnMetricsAreBridged() throws Exception {
        String sample = "llamacpp_tokens_predicted_total{model=\"default\"}";
        double before = value(metrics(), sample);
        model.chat("Hi");
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (value(metrics(), sample) < before + 15) {
            assertThat(System.nanoTime()).as("%s moved past %s", sample, before).isLessThan(deadline);
            Thread.sleep(200);
        }
        assertThat(metrics()).contains("rocm_slots_busy{model=\"default\"}", "llamacpp_requests_deferred{model=\"default\"}");
    }
}
