package io.quarkiverse.rocm.deployment.devmode;

import static io.quarkiverse.rocm.deployment.devmode.DevModeModels.config;
import static io.quarkiverse.rocm.deployment.devmode.DevModeModels.pid;
import static io.quarkiverse.rocm.deployment.devmode.DevModeModels.reply;
import static io.quarkiverse.rocm.deployment.devmode.DevModeModels.running;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusDevModeTest;

/**
 * A broken configuration in dev mode shows Quarkus' error page with the message that names the property; fixing the
 * file recovers without leaving dev mode, and nothing started by the failed attempt is left running.
 */
public class DevModeBrokenConfigTest {

    static final int PORT = DevModeModels.freePort();

    @RegisterExtension
    static final QuarkusDevModeTest dev = new QuarkusDevModeTest()
            .withApplicationRoot(jar -> jar.addClasses(DevModeResource.class)
                    .addAsResource(new StringAsset(config("default") + config("second") + "quarkus.http.port=" + PORT
                            + "\n"), "application.properties"));

    static String ask(String model) {
        return DevModeModels.ask(PORT, model);
    }

    static String errorPage() {
        return given().port(PORT).queryParam("model", "default").get("/dev-test/ask").then().statusCode(500).extract()
                .asString();
    }

    @Test
    void aBrokenConfigurationShowsTheErrorAndAFixRecovers() throws IOException {
        assertThat(ask("second")).isEqualTo("v1 " + reply("second"));
        long first = pid("default");
        long second = pid("second");
        String good = config("second");

        // a model file that does not exist: nothing is spawned; the error page names the property and the path
        dev.modifyResourceFile("application.properties", s -> s.replace(good,
                "quarkus.rocm.second.model.path=/nonexistent/models/second.gguf\nquarkus.rocm.second.threads=1\n"));
        assertThat(errorPage()).contains("quarkus.rocm.second.model.path").contains("/nonexistent/models/second.gguf");
        assertThat(running()).as("no server started by the failed attempt").allSatisfy(
                (model, p) -> assertThat(p.pid()).isIn(first, second));

        // fixed: served again, by the servers the last good configuration started
        dev.modifyResourceFile("application.properties", s -> s.replace(
                "quarkus.rocm.second.model.path=/nonexistent/models/second.gguf\nquarkus.rocm.second.threads=1\n",
                good));
        assertThat(ask("second")).isEqualTo("v1 " + reply("second"));
        assertThat(pid("default")).isEqualTo(first);
        assertThat(pid("second")).isEqualTo(second);

        // a llama-server that will not start (an argument it refuses): the error names the property to check, the
        // failed process is gone, the healthy model is kept for the next attempt
        dev.modifyResourceFile("application.properties", s -> s + "quarkus.rocm.second.args=--no-such-flag\n");
        assertThat(errorPage()).contains("quarkus.rocm.second.args").contains("--no-such-flag");
        assertThat(running()).containsOnlyKeys("default");
        assertThat(pid("default")).isEqualTo(first);

        dev.modifyResourceFile("application.properties", s -> s.replace("quarkus.rocm.second.args=--no-such-flag\n", ""));
        assertThat(ask("second")).isEqualTo("v1 " + reply("second"));
        assertThat(ask("default")).isEqualTo("v1 " + reply("default"));
        assertThat(pid("default")).isEqualTo(first);

        // a binary that does not run: the error names quarkus.rocm.binary; nothing new is left running
        Path broken = Files.createTempFile("broken-llama-server", ".sh",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.writeString(broken, "#!/bin/sh\necho 'error while loading shared libraries: libggml.so.0' >&2\nexit 127\n");
        long secondAgain = pid("second");
        dev.modifyResourceFile("application.properties", s -> s + "quarkus.rocm.binary=" + broken + "\n");
        assertThat(errorPage()).contains("quarkus.rocm.binary").contains("libggml.so.0");
        assertThat(running()).allSatisfy((model, p) -> assertThat(p.pid()).isIn(first, secondAgain));

        dev.modifyResourceFile("application.properties", s -> s.replace("quarkus.rocm.binary=" + broken + "\n", ""));
        assertThat(ask("default")).isEqualTo("v1 " + reply("default"));
        assertThat(running()).containsOnlyKeys("default", "second");
        Files.delete(broken);
    }

    @AfterAll
    static void leavingDevModeStopsEveryServer() throws InterruptedException {
        DevModeModels.assertNoneLeft();
    }
}
