package io.quarkiverse.rocm.deployment.access;

import static io.quarkiverse.rocm.deployment.access.AccessApp.bearer;
import static io.quarkiverse.rocm.deployment.access.AccessApp.chat;
import static io.quarkiverse.rocm.deployment.access.AccessApp.load;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * Callers' and operators' keys as Quarkus Security identities: 401 and 403 in OpenAI's shape (Anthropic's on its
 * Messages API) naming what to configure, the routes llama-server has at the root ({@code /tokenize}) guarded too,
 * {@code x-api-key} as well as the bearer header, an application's {@code deny} permission on one API path, and an
 * application's own {@code @RolesAllowed} resource reached with an operator's key.
 */
public class ApiKeysTest {

    static final String CALLER = "sk-caller-0123456789";
    static final String OPERATOR = "sk-operator-9876543210";

    @RegisterExtension
    static final QuarkusUnitTest app = AccessApp.app(OperatorResource.class)
            .overrideConfigKey("quarkus.rocm.openai.api-keys", "sk-other," + CALLER)
            .overrideConfigKey("quarkus.rocm.openai.operator-keys", OPERATOR)
            .overrideConfigKey("quarkus.http.auth.permission.no-embeddings.paths", "/v1/embeddings")
            .overrideConfigKey("quarkus.http.auth.permission.no-embeddings.policy", "deny");

    @Test
    void callersNeedAKey() {
        chat(given()).then().statusCode(401).header("WWW-Authenticate", "Bearer")
                .body("error.code", equalTo("invalid_api_key"))
                .body("error.message", containsString("No API key provided"))
                .body("error.message", containsString("quarkus.rocm.openai.api-keys"));
        chat(bearer("sk-wrong")).then().statusCode(401).body("error.message", containsString("Incorrect API key"));
        chat(bearer(CALLER.substring(0, CALLER.length() - 1))).then().statusCode(401);
        chat(bearer(CALLER + "0")).then().statusCode(401);
        given().get("/v1/models").then().statusCode(401).body("error.code", equalTo("invalid_api_key"));

        chat(bearer(CALLER)).then().statusCode(200).body("choices[0].message.content", containsString("Alpha"));
        chat(given().header("x-api-key", CALLER)).then().statusCode(200);
        bearer(CALLER).get("/v1/models").then().statusCode(200).body("data[0].id", equalTo("alpha"));
        // an operator may call everything a caller may
        chat(bearer(OPERATOR)).then().statusCode(200);
    }

    @Test
    void theAgentsRoutesNeedAKeyTooAndRefuseInTheirOwnShape() {
        String message = "{\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        given().contentType("application/json").body(message).post("/v1/messages").then().statusCode(401)
                .body("type", equalTo("error")).body("error.type", equalTo("authentication_error"))
                .body("error.message", containsString("quarkus.rocm.openai.api-keys"));
        given().header("x-api-key", CALLER).contentType("application/json").body(message).post("/v1/messages").then()
                .statusCode(200).body("content[0].text", containsString("Alpha"));
        given().contentType("application/json").body("{\"content\":\"Hi\"}").post("/tokenize").then()
                .statusCode(401).body("error.code", equalTo("invalid_api_key"));
        bearer(CALLER).contentType("application/json").body("{\"content\":\"Hi\"}").post("/tokenize").then()
                .statusCode(200);
    }

    @Test
    void operatorEndpointsNeedTheOperatorRole() {
        load(given()).then().statusCode(401).body("error.message", containsString("quarkus.rocm.openai.operator-keys"));
        load(bearer(CALLER)).then().statusCode(403).body("error.code", equalTo("permission_denied"))
                .body("error.message", containsString("'api-key-2'"))
                .body("error.message", containsString("quarkus.rocm.openai.operator-keys"));
        load(bearer(OPERATOR)).then().statusCode(200).body("meta.state", equalTo("loaded"));
        load(given().header("x-api-key", OPERATOR)).then().statusCode(200);
    }

    @Test
    void theApplicationsPermissionsApplyToTheApi() {
        String body = "{\"model\":\"alpha\",\"input\":\"Hi\"}";
        given().header("Authorization", "Bearer " + CALLER).contentType("application/json").body(body)
                .post("/v1/embeddings").then().statusCode(403).body("error.code", equalTo("permission_denied"))
                .body("error.message", containsString("quarkus.http.auth.permission"));
        given().contentType("application/json").body(body).post("/v1/embeddings").then().statusCode(401);
        chat(bearer(CALLER)).then().statusCode(200);
    }

    @Test
    void theApplicationsResourcesKnowTheKeys() {
        bearer(OPERATOR).get("/ops").then().statusCode(200).body(equalTo("operator-key-1"));
        bearer(CALLER).get("/ops").then().statusCode(403);
        given().get("/ops").then().statusCode(401);
    }
}
