package io.quarkiverse.rocm.runtime.hibernation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

/**
 * The disk the saved slot caches of all models take ({@code quarkus.rocm.hibernation.max-disk}): past the budget, the
 * least recently saved or restored slots are deleted first.
 */
final class DiskBudget {

    private static final Logger LOG = Logger.getLogger(DiskBudget.class);

    private DiskBudget() {
    }

    private record Saved(Path file, long bytes, FileTime used) {
    }

    /** Deletes the least recently used slot caches under {@code root} until they take at most {@code maxBytes}. */
    static synchronized void enforce(Path root, long maxBytes) {
        List<Saved> all = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root, 2)) {
            for (Path f : (Iterable<Path>) files
                    .filter(p -> p.getFileName().toString().matches("(slot-\\d+|conv-[0-9a-f]+)\\.bin"))::iterator) {
                all.add(new Saved(f, Files.size(f), Files.getLastModifiedTime(f)));
            }
        } catch (IOException e) {
            LOG.warnf("Could not measure the saved prompt caches under %s: %s", root, e.getMessage());
            return;
        }
        long total = all.stream().mapToLong(Saved::bytes).sum();
        all.sort(Comparator.comparing(Saved::used));
        for (Saved s : all) {
            if (total <= maxBytes) {
                return;
            }
            try {
                Files.deleteIfExists(s.file());
                total -= s.bytes();
                LOG.infof("Deleted the saved prompt cache %s (%d KiB, the least recently used): the saved caches take"
                        + " more than quarkus.rocm.hibernation.max-disk=%d KiB", s.file(), s.bytes() >> 10,
                        maxBytes >> 10);
            } catch (IOException e) {
                LOG.warnf("Could not delete %s: %s", s.file(), e.getMessage());
            }
        }
    }

    /** Deletes one saved cache (one llama-server could not read). */
    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("Could not delete %s: %s", file, e.getMessage());
        }
    }

    /** Deletes a model's saved caches and their description; the bytes deleted. */
    static long deleteAll(Path dir) {
        long bytes = 0;
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                bytes += Files.size(f);
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            LOG.warnf("Could not delete the saved prompt caches in %s: %s", dir, e.getMessage());
        }
        return bytes;
    }
}
