package io.quarkiverse.rocm.deployment.devmode;

import static io.quarkiverse.rocm.deployment.devmode.DevModeModels.commandLine;
import static io.quarkiverse.rocm.deployment.devmode.DevModeModels.config;
import static io.quarkiverse.rocm.deployment.devmode.DevModeModels.pid;
import static io.quarkiverse.rocm.deployment.devmode.DevModeModels.reply;
import static io.quarkiverse.rocm.deployment.devmode.DevModeModels.running;
import static org.assertj.core.api.Assertions.assertThat;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusDevModeTest;
import io.restassured.RestAssured;

/**
 * Dev mode with real llama-servers: a code change reloads the application and keeps every server; a change to one
 * model's configuration restarts only that model's server, with the new flags; a model added or removed is started or
 * stopped; leaving dev mode stops them all.
 */
public class DevModeReloadTest {

    static final int PORT = DevModeModels.freePort();

    @RegisterExtension
    static final QuarkusDevModeTest dev = new QuarkusDevModeTest()
            .withApplicationRoot(jar -> jar.addClasses(DevModeResource.class)
                    .addAsResource(new StringAsset(config("default") + config("second") + "quarkus.http.port=" + PORT
                            + "\n"), "application.properties"));

    static String ask(String model) {
        return DevModeModels.ask(PORT, model);
    }

    @Test
    void reloadsKeepServersAndRestartOnlyWhatChanged() {
        RestAssured.port = PORT;
        assertThat(ask("default")).isEqualTo("v1 " + reply("default"));
        assertThat(ask("second")).isEqualTo("v1 " + reply("second"));
        long first = pid("default");
        long second = pid("second");

        // application code: reloaded, both servers kept and answering at once
        dev.modifySourceFile(DevModeResource.class, s -> s.replace("\"v1 \"", "\"v2 \""));
        assertThat(ask("default")).isEqualTo("v2 " + reply("default"));
        assertThat(ask("second")).isEqualTo("v2 " + reply("second"));
        assertThat(pid("default")).isEqualTo(first);
        assertThat(pid("second")).isEqualTo(second);

        // one model's configuration: only its server is restarted, with the new context
        dev.modifyResourceFile("application.properties",
                s -> s.replace("quarkus.rocm.second.context-size=512", "quarkus.rocm.second.context-size=1024"));
        assertThat(ask("second")).isEqualTo("v2 " + reply("second"));
        assertThat(pid("default")).as("the unchanged model keeps its server").isEqualTo(first);
        assertThat(pid("second")).as("the changed model got a new server").isNotEqualTo(second);
        assertThat(ProcessHandle.of(second).map(ProcessHandle::isAlive).orElse(false)).as("the old one stopped")
                .isFalse();
        assertThat(commandLine("second")).contains("-c 1024").doesNotContain("-c 512");
        assertThat(commandLine("default")).contains("-c 512");
        long secondAgain = pid("second");

        // a model added: started; the others kept
        dev.modifyResourceFile("application.properties", s -> s + config("third"));
        assertThat(ask("third")).isEqualTo("v2 " + reply("third"));
        assertThat(running()).containsOnlyKeys("default", "second", "third");
        assertThat(pid("default")).isEqualTo(first);
        assertThat(pid("second")).isEqualTo(secondAgain);
        long third = pid("third");

        // and removed: stopped
        dev.modifyResourceFile("application.properties", s -> s.replace(config("third"), ""));
        assertThat(ask("default")).isEqualTo("v2 " + reply("default"));
        assertThat(running()).containsOnlyKeys("default", "second");
        assertThat(ProcessHandle.of(third).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(pid("default")).isEqualTo(first);
    }

    @AfterAll
    static void leavingDevModeStopsEveryServer() throws InterruptedException {
        DevModeModels.assertNoneLeft();
    }
}
