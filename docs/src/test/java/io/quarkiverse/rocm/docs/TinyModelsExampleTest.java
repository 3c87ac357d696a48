package io.quarkiverse.rocm.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.inject.Inject;

import org.acme.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.rocm.runtime.langchain4j.RocmChatModel;
import io.quarkus.test.QuarkusUnitTest;

/** The testing guide's tiny model of its own reply ({@code TinyModels}): a real llama-server answers with it. */
public class TinyModelsExampleTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(TinyModels.class))
            .overrideConfigKey("quarkus.rocm.model.path", coder().toString())
            .overrideConfigKey("quarkus.rocm.threads", "1");

    static Path coder() {
        try {
            return TinyModels.coder(Files.createDirectories(Path.of("target", "example-files", "testing").toAbsolutePath()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Inject
    RocmChatModel model;

    @Test
    void theModelAnswersWithItsOwnReply() {
        assertThat(model.chat("Who are you?")).isEqualTo("I am the coder.");
    }
}
