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
 * No key and no other authentication: chat and the models stay open, as on a private network, but the operator
 * endpoints are closed (403 naming {@code quarkus.rocm.openai.operator-keys}), whatever key a caller sends.
 */
public class OpenByDefaultTest {

    @RegisterExtension
    static final QuarkusUnitTest app = AccessApp.app();

    @Test
    void chatIsOpenAndOperatorsAreClosed() {
        chat(given()).then().statusCode(200).body("choices[0].message.content", containsString("Alpha"));
        chat(bearer("anything")).then().statusCode(200);
        given().get("/v1/models/alpha").then().statusCode(200);
        for (String action : new String[] { "load", "unload" }) {
            given().post("/v1/models/alpha/" + action).then().statusCode(403)
                    .body("error.code", equalTo("permission_denied"))
                    .body("error.message", containsString("quarkus.rocm.openai.operator-keys"));
        }
        load(bearer("anything")).then().statusCode(403);
        given().get("/v1/models/alpha").then().statusCode(200).body("meta.state", equalTo("loaded"));
    }
}
