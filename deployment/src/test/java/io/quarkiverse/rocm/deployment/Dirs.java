package io.quarkiverse.rocm.deployment;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;

/** Folders the tests write into target/. */
public final class Dirs {

    private Dirs() {
    }

    /** Deletes a folder and what is in it; nothing when there is none. */
    public static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (NoSuchFileException e) {
            // a first run
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
