package io.quarkiverse.rocm.runtime.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Only tagged processes whose owning JVM is gone are stopped; a reused PID is never mistaken for one of ours. */
class OrphansTest {

    Process orphan, owned, untagged;

    @AfterEach
    void cleanUp() {
        for (Process p : new Process[] { orphan, owned, untagged }) {
            if (p != null) {
                p.destroyForcibly();
            }
        }
    }

    static Process sleeper(Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sleep", "600");
        pb.environment().putAll(env);
        return pb.start();
    }

    @Test
    void reapsOnlyProcessesWhoseOwnerIsGone() throws Exception {
        // an owner that cannot exist: our own pid with another start time (a reused pid looks like this)
        String goneOwner = ProcessHandle.current().pid() + ":1";
        orphan = sleeper(Map.of(Orphans.OWNER_VARIABLE, goneOwner));
        owned = sleeper(Map.of(Orphans.OWNER_VARIABLE, Orphans.ownerTag()));
        untagged = sleeper(Map.of());
        Orphans orphans = new Orphans(Path.of("/proc"));

        List<Orphans.Orphan> found = orphans.find();
        assertThat(found).extracting(Orphans.Orphan::pid).contains(orphan.pid())
                .doesNotContain(owned.pid(), untagged.pid());
        assertThat(found).filteredOn(o -> o.pid() == orphan.pid()).singleElement()
                .satisfies(o -> assertThat(o.command()).isEqualTo("sleep 600"));

        assertThat(orphans.reap(2000)).isGreaterThanOrEqualTo(1);
        assertThat(orphan.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(owned.isAlive()).isTrue();
        assertThat(untagged.isAlive()).isTrue();
    }

    @Test
    void theOwnerTagNamesThisJvmAndItsStartTime() {
        Orphans orphans = new Orphans(Path.of("/proc"));
        String tag = Orphans.ownerTag();
        assertThat(tag).startsWith(ProcessHandle.current().pid() + ":");
        assertThat(orphans.ownerAlive(tag)).isTrue();
        assertThat(orphans.ownerAlive(ProcessHandle.current().pid() + ":1")).isFalse();
        assertThat(orphans.ownerAlive("999999999:5")).isFalse();
        assertThat(orphans.ownerAlive("not-our-format")).as("left alone").isTrue();
    }
}
