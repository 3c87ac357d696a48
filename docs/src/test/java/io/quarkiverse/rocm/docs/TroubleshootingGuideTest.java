package io.quarkiverse.rocm.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Each message the troubleshooting page lists is one the extension's code writes, word for word. */
class TroubleshootingGuideTest {

    static final Pattern ROW = Pattern.compile("(?m)^\\| `([^`]+)` \\|");

    @Test
    void everyMessageThePageListsIsInTheCode() throws IOException {
        String sources = sources(Path.of("..", "runtime", "src", "main", "java"))
                + sources(Path.of("..", "deployment", "src", "main", "java"));
        Matcher m = ROW.matcher(Guide.page("troubleshooting.adoc").text());
        List<String> messages = new ArrayList<>();
        while (m.find()) {
            messages.add(m.group(1));
        }
        assertThat(messages).as("the page's messages").hasSizeGreaterThan(15);
        assertThat(messages).as("messages the code does not write").allMatch(sources::contains);
    }

    static String sources(Path root) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> {
                try {
                    all.append(Files.readString(p));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return all.toString();
    }
}
