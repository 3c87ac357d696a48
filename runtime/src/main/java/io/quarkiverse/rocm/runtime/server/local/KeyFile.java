package io.quarkiverse.rocm.runtime.server.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import org.jboss.logging.Logger;

/**
 * The random API key a local llama-server requires, and the file it reads it from at start ({@code --api-key-file}):
 * only the owner can read it, and it is deleted as soon as the server is ready, so the secret is on disk only while it
 * loads and never on a command line.
 */
final class KeyFile {

    private static final Logger LOG = Logger.getLogger(KeyFile.class);

    private final String key;
    private Path file;

    KeyFile() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        this.key = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    String key() {
        return key;
    }

    /** Writes the key to a private file; returns where. */
    synchronized Path write() throws IOException {
        if (file == null) {
            Path dir = Files.createTempDirectory("quarkus-rocm-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            file = Files.createFile(dir.resolve("api-key"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, key + "\n");
        return file;
    }

    /** Deletes the file and its folder, if written. */
    synchronized void delete() {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
                Files.deleteIfExists(file.getParent());
            } catch (IOException e) {
                LOG.warnf("Cannot delete %s: %s", file, e.getMessage());
            }
            file = null;
        }
    }
}
