package io.quarkiverse.rocm.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Empty folders under target/ for a test's model cache. */
final class Caches {

    private Caches() {
    }

    /**
     * An empty folder of this name, emptied once per JVM (the second copy of the test class a {@code QuarkusUnitTest}
     * loads must not empty it again).
     */
    static Path empty(String name) {
        Path dir = Path.of("target", "caches", name).toAbsolutePath();
        try {
            if (System.getProperties().putIfAbsent("quarkus-rocm.docs-cache." + dir, "emptied") == null
                    && Files.exists(dir)) {
                try (Stream<Path> walk = Files.walk(dir)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
