package io.quarkiverse.rocm.deployment.access;

import static io.quarkiverse.rocm.deployment.access.AccessApp.chat;
import static io.quarkiverse.rocm.deployment.access.AccessApp.load;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.builder.Version;
import io.quarkus.maven.dependency.Dependency;
import io.quarkus.test.QuarkusUnitTest;

/**
 * Another Quarkus mechanism beside the keys: basic authentication against the properties-file realm. Its users reach
 * the API with the roles they hold (at Quarkus 3.34.1: quarkus-elytron-security-properties-file 3.37.3 is not served,
 * so the 3.37 build leaves this test out).
 */
public class BasicAuthTest {

    @RegisterExtension
    static final QuarkusUnitTest app = AccessApp.app()
            .setForcedDependencies(List.of(Dependency.of("io.quarkus", "quarkus-elytron-security-properties-file",
                    Version.getVersion())))
            .overrideConfigKey("quarkus.rocm.openai.api-keys", "sk-caller")
            .overrideConfigKey("quarkus.http.auth.basic", "true")
            .overrideConfigKey("quarkus.security.users.embedded.enabled", "true")
            .overrideConfigKey("quarkus.security.users.embedded.plain-text", "true")
            .overrideConfigKey("quarkus.security.users.embedded.users.alice", "alice-password")
            .overrideConfigKey("quarkus.security.users.embedded.roles.alice", "rocm-operator")
            .overrideConfigKey("quarkus.security.users.embedded.users.bob", "bob-password")
            .overrideConfigKey("quarkus.security.users.embedded.roles.bob", "reader");

    @Test
    void basicUsersCallWithTheirRoles() {
        load(given().auth().preemptive().basic("alice", "alice-password")).then().statusCode(200)
                .body("meta.state", equalTo("loaded"));
        chat(given().auth().preemptive().basic("alice", "alice-password")).then().statusCode(200);

        load(given().auth().preemptive().basic("bob", "bob-password")).then().statusCode(403)
                .body("error.message", containsString("'bob'"))
                .body("error.message", containsString("rocm-operator"));
        chat(given().auth().preemptive().basic("bob", "bob-password")).then().statusCode(403)
                .body("error.message", containsString("rocm-caller"));

        // anonymous: a credential could help now, so 401, in the API's shape
        load(given()).then().statusCode(401).body("error.code", equalTo("invalid_api_key"));
        chat(given().auth().preemptive().basic("alice", "wrong")).then().statusCode(401);
        chat(given().header("Authorization", "Bearer sk-caller")).then().statusCode(200);
    }
}
