package io.quarkiverse.rocm.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Folders for tests that must start empty, such as a model cache a test pulls into. */
public final class Folders {

    private Folders() {
    }

    /**
     * {@code dir}, created, and emptied the first time this JVM asks for it only: Quarkus' {@code QuarkusUnitTest}
     * loads a test class twice, and the second copy must not empty what the first one's application uses.
     */
    public static Path emptyOnce(Path dir) {
        Path absolute = dir.toAbsolutePath();
        try {
            if (System.getProperties().putIfAbsent("quarkus-rocm.emptied." + absolute, "emptied") == null
                    && Files.exists(absolute)) {
                try (Stream<Path> walk = Files.walk(absolute)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            return Files.createDirectories(absolute);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
