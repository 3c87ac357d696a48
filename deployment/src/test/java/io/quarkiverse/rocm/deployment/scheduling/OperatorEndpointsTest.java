package io.quarkiverse.rocm.deployment.scheduling;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.quarkus.test.QuarkusUnitTest;

/** {@code POST /v1/models/{id}/unload} and {@code /load}, behind an operator's key; a model serving a request is not cut. */
public class OperatorEndpointsTest {

    static final String KEY = "sk-operator";

    @RegisterExtension
    static final QuarkusUnitTest app = SchedulingModels.app("alpha")
            // a long answer (20k tokens) must fit the context, or the API refuses it before it takes a slot
            .overrideConfigKey("quarkus.rocm.alpha.context-size", "32768")
            .overrideConfigKey("quarkus.rocm.openai.operator-keys", KEY);

    @Inject
    ModelServers servers;

    @Test
    void operatorsUnloadAndLoadModels() throws Exception {
        given().post("/v1/models/alpha/unload").then().statusCode(401);
        given().header("Authorization", "Bearer " + KEY).post("/v1/models/nope/unload").then().statusCode(404)
                .body("error.code", equalTo("model_not_found"));
        given().header("Authorization", "Bearer " + KEY).post("/v1/models/alpha/unload").then().statusCode(200)
                .body("meta.state", equalTo("unloaded"));
        assertThat(SchedulingModels.running()).isEmpty();
        given().header("Authorization", "Bearer " + KEY).post("/v1/models/alpha/load").then().statusCode(200)
                .body("meta.state", equalTo("loaded"));
        assertThat(SchedulingModels.running()).containsExactly("alpha");

        // a model serving a request is not unloaded from under it
        CompletableFuture<Api.Streamed> streaming = CompletableFuture.supplyAsync(() -> {
            try {
                return Api.read(Api.HTTP.send(java.net.http.HttpRequest.newBuilder(Api.streamRequest("alpha", 20_000),
                        (n, v) -> true).header("Authorization", "Bearer " + KEY).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofInputStream()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        SchedulingModels.awaitBusy(servers, "alpha");
        given().header("Authorization", "Bearer " + KEY).post("/v1/models/alpha/unload").then().statusCode(409)
                .body("error.message", containsString("is serving 1 request"));
        assertThat(streaming.get(60, TimeUnit.SECONDS).done()).isTrue();
        given().header("Authorization", "Bearer " + KEY).get("/v1/models/alpha").then().statusCode(200)
                .body("meta.state", equalTo("loaded"));
    }
}
