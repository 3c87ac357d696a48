package io.quarkiverse.rocm.runtime.hibernation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The saved caches of all models stay under {@code max-disk}, the least recently used deleted first. */
class DiskBudgetTest {

    @TempDir
    Path root;

    Path slot(String model, int id, int kib, long usedMillis) throws Exception {
        Path f = Files.createDirectories(root.resolve(model)).resolve("slot-" + id + ".bin");
        Files.write(f, new byte[kib << 10]);
        Files.setLastModifiedTime(f, FileTime.fromMillis(usedMillis));
        return f;
    }

    @Test
    void theLeastRecentlyUsedGoFirst() throws Exception {
        Path oldest = slot("alpha", 0, 40, 1_000);
        Path newer = slot("bravo", 0, 40, 2_000);
        Path newest = slot("alpha", 1, 40, 3_000);
        Path identity = Files.writeString(root.resolve("alpha").resolve(Hibernator.IDENTITY), "{}");
        DiskBudget.enforce(root, 100 << 10);
        assertThat(oldest).doesNotExist();
        assertThat(newer).exists();
        assertThat(newest).exists();
        assertThat(identity).as("only slots count").exists();
        DiskBudget.enforce(root, 100 << 10);
        assertThat(newer).as("under the budget: nothing more").exists();
        DiskBudget.enforce(root, 0);
        assertThat(newer).doesNotExist();
        assertThat(newest).doesNotExist();
    }
}
