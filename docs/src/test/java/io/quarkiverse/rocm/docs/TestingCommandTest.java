package io.quarkiverse.rocm.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkiverse.rocm.testing.TinyModel;

/** The testing guide's command writes the reference tiny model, byte for byte, with the testing module's jar. */
class TestingCommandTest {

    @TempDir
    Path dir;

    @Test
    void theCommandWritesTheTinyModel() throws Exception {
        List<String> commands = Guide.page("testing.adoc").blocks("shell").stream().map(Guide.Block::text)
                .filter(c -> c.contains("quarkus-rocm-testing.jar")).toList();
        assertThat(commands).hasSize(1);
        String command = "cd '" + dir + "'\n" + commands.get(0).replace("quarkus-rocm-testing.jar", "'" + jar() + "'");
        assertThat(Commands.run(command, 0, Map.of())).startsWith("wrote tiny.gguf");
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(dir.resolve("tiny.gguf")));
        assertThat(HexFormat.of().formatHex(sha)).isEqualTo(TinyModel.DEFAULT_SHA256);
    }

    /** The jar the testing module built (the reactor builds it before this module). */
    static Path jar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("..", "testing", "target"))) {
            return files
                    .filter(p -> p.getFileName().toString().matches("quarkus-rocm-testing-[\\w.-]+(?<!sources|javadoc)\\.jar"))
                    .findFirst().orElseThrow(() -> new AssertionError("build the testing module first")).toAbsolutePath();
        }
    }
}
