package io.quarkiverse.rocm.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.rocm.runtime.langchain4j.RocmChatModel;
import io.quarkiverse.rocm.runtime.spec.LocalSpec;
import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkus.test.QuarkusUnitTest;

/**
 * No llama-server anywhere in test mode: the build installs one with the project's installer (into a folder of its
 * own here, so that the shared cache is not what is tested) and the application uses it.
 */
public class ProvisioningTest {

    static final Path INSTALL_DIR = Path.of("target", "provisioning-test", "llama.cpp").toAbsolutePath();

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(TestModels.class))
            .overrideConfigKey("quarkus.rocm.model.path", TestModels.tiny().toString())
            .overrideConfigKey("quarkus.rocm.threads", "1")
            .overrideConfigKey("quarkus.rocm.install-dir", INSTALL_DIR.toString());

    @Inject
    RocmChatModel model;

    @Test
    void theInstalledServerAnswers() {
        Path binary = ((LocalSpec) model.client().server().spec()).binary();
        if (System.getenv("LLAMA_SERVER_BIN") == null && !onPath()) {
            assertThat(binary).startsWith(INSTALL_DIR);
            assertThat(INSTALL_DIR.resolve("current-cpu/VERSION")).exists();
        }
        assertThat(Files.isExecutable(binary)).isTrue();
        assertThat(model.chat("Hi")).isEqualTo(TinyModel.DEFAULT_REPLY);
    }

    static boolean onPath() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "llama-server"))) {
                return true;
            }
        }
        return false;
    }
}
