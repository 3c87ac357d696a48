package io.quarkiverse.rocm.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The guides rendered by Antora itself, as Quarkiverse's site renders them (with a minimal UI of the project's own:
 * {@code src/test/antora}), failing on any warning: a broken xref, include, tag or image fails the build with
 * Antora's own message. Then the rendered pages are read: every page of the navigation is there, with its examples
 * and the configuration reference included.
 */
class AntoraSiteTest {

    static final Path SITE = Path.of("target", "antora", "site", "quarkus-rocm", "dev");

    @BeforeAll
    static void render() throws Exception {
        Path log = Files.createDirectories(Path.of("target", "antora")).resolve("antora.log");
        Process p = new ProcessBuilder("bash", "src/test/antora/antora.sh").redirectErrorStream(true)
                .redirectOutput(log.toFile()).start(); // read once it ended: a hung install cannot hang the test
        boolean ended = p.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            p.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(ended).as("Antora ended within 5 minutes; it printed:%n%s", output).isTrue();
        assertThat(p.exitValue()).as("Antora's exit status; it printed:%n%s", output).isZero();
    }

    @Test
    void everyPageOfTheNavigationIsRendered() throws Exception {
        for (Path page : DocsTest.pages()) {
            if (page.getParent().endsWith("includes")) {
                continue;
            }
            String html = page.getFileName().toString().replace(".adoc", ".html");
            assertThat(SITE.resolve(html)).as("the rendered %s", page).exists();
            assertThat(Files.readString(SITE.resolve("index.html"))).as("the navigation").contains("href=\"" + html + "\"");
        }
    }

    @Test
    void theExamplesAndTheReferenceAreIncluded() throws Exception {
        assertThat(Files.readString(SITE.resolve("getting-started.html"))).contains("interface Assistant")
                .contains("quarkus.rocm.model.hf-repo=ggml-org/gemma-3-4b-it-GGUF:Q4_K_M")
                .doesNotContain("tag::", "end::", "Unresolved directive");
        assertThat(Files.readString(SITE.resolve("index.html"))).as("the generated configuration reference")
                .contains("quarkus.rocm.model.path").contains("quarkus.rocm.openai.api-keys");
        assertThat(Files.readString(SITE.resolve("dev-mode.html"))).contains("_images/dev-ui-models.png");
        assertThat(SITE.resolve("_images").resolve("dev-ui-models.png")).exists();
    }
}
