package io.quarkiverse.rocm.testing.gguf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/** Writes generated GGUF files once: tests and runs share a file that already holds the same bytes. */
public final class GgufFiles {

    private GgufFiles() {
    }

    /** Writes {@code bytes} to {@code path} (atomically) unless the file holds exactly them already. */
    public static Path ensure(Path path, byte[] bytes) throws IOException {
        if (Files.isRegularFile(path) && Arrays.equals(Files.readAllBytes(path), bytes)) {
            return path;
        }
        Files.createDirectories(path.toAbsolutePath().getParent());
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return path;
    }
}
