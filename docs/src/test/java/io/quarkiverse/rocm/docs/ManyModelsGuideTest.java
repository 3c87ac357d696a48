package io.quarkiverse.rocm.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.rocm.runtime.scheduling.Scheduler;
import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.RestAssured;

/**
 * The many-models guide: its three models on one machine (the files it names written as tiny models, a projector for
 * the vision model), `max-loaded=2` with the chat model pinned, and its operator commands loading and unloading the
 * coder.
 */
public class ManyModelsGuideTest {

    static final Map<String, String> ENV = Map.of("OPS_KEY", "ops-key-for-the-guide");

    @RegisterExtension
    static final QuarkusUnitTest app = GuideApps.configured(new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Guide.class, Commands.class, GuideApps.class, ExampleFiles.class))
            .overrideConfigKey("quarkus.rocm.openai.enabled", "true")
            .overrideConfigKey("quarkus.rocm.openai.operator-keys", ENV.get("OPS_KEY")), "many-models.adoc",
            "three-models", "chat", "coder", "vision");

    @Inject
    ModelServers servers;

    @Test
    void theOperatorsCommandsLoadAndUnloadTheCoder() {
        Scheduler scheduler = servers.scheduler();
        assertThat(scheduler.limits().maxLoaded()).isEqualTo(2);
        assertThat(scheduler.pinned("chat")).isTrue();
        assertThat(scheduler.status("chat")).isEqualTo(Scheduler.Status.LOADED);
        List<String> commands = Guide.page("many-models.adoc").commands();
        assertThat(commands).hasSize(1);
        String out = Commands.run(commands.get(0), RestAssured.port, ENV);
        assertThat(out).contains("\"id\":\"coder\"").contains("\"id\":\"vision\"");
        assertThat(scheduler.status("coder")).as("unloaded by the last command").isEqualTo(Scheduler.Status.UNLOADED);
        assertThat(scheduler.loads("coder")).as("loaded by the first").isEqualTo(1);
    }
}
