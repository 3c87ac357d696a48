package io.quarkiverse.rocm.runtime.server.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import org.jboss.logging.Logger;

/**
 * A local llama-server's private folder (only the application's user may enter it): the random API key the server
 * requires, in the file it reads at start ({@code --api-key-file}; deleted as soon as the server is ready, so the
 * secret is on disk only while it loads and never on a command line), and the Unix domain socket it listens on,
 * which only the application's user can therefore connect to.
 */
final class PrivateFiles {

    private static final Logger LOG = Logger.getLogger(PrivateFiles.class);

    private final String key;
    private Path dir;

    PrivateFiles() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        this.key = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    String key() {
        return key;
    }

    /** Writes the key to its file; returns where. */
    synchronized Path writeKey() throws IOException {
        Path file = dir().resolve("api-key");
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, key + "\n");
        return file;
    }

    /** Where the server's socket goes (llama-server takes a {@code --host} ending in {@code .sock} as one). */
    synchronized Path socket() throws IOException {
        Path socket = dir().resolve("llama-server.sock");
        Files.deleteIfExists(socket); // left by a process that was killed
        return socket;
    }

    /** Deletes the key file: the server has read it. */
    synchronized void deleteKey() {
        if (dir != null) {
            delete(dir.resolve("api-key"));
        }
    }

    /** Deletes everything: the server is stopped. */
    synchronized void deleteAll() {
        if (dir != null) {
            delete(dir.resolve("api-key"));
            delete(dir.resolve("llama-server.sock"));
            delete(dir);
            dir = null;
        }
    }

    private Path dir() throws IOException {
        if (dir == null) {
            dir = Files.createTempDirectory("quarkus-rocm-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return dir;
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warnf("Cannot delete %s: %s", p, e.getMessage());
        }
    }
}
