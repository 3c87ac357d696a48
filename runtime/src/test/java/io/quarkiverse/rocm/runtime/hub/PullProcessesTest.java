package io.quarkiverse.rocm.runtime.hub;

import static io.quarkiverse.rocm.runtime.hub.HubFixture.REPO;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkiverse.rocm.runtime.config.PullPolicy;
import io.quarkiverse.rocm.testing.hub.TestHub;

/** Pulls in other processes: one killed with SIGKILL mid-transfer, two sharing a cache. */
class PullProcessesTest extends HubTest {

    @Test
    void aTransferKilledWithSigkillResumesInTheNextRun() throws Exception {
        TestHub.File q8 = hub.get(REPO, "tiny-llama-Q8_0.gguf");
        Path partial = cache.resolve("models--tiny-org--tiny-llama-GGUF/blobs/" + q8.sha256() + ".incomplete");
        hub.throttle(60_000);
        Process child = pullIn(REPO + ":Q8_0");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(partial) && Files.size(partial) >= 120_000) && System.nanoTime() < deadline) {
            assertThat(child.isAlive()).as("the child is still downloading").isTrue();
            Thread.sleep(50);
        }
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isEqualTo(137);
        long kept = Files.size(partial);
        assertThat(kept).isBetween(120_000L, (long) q8.content().length - 1);

        hub.throttle(0).clearSeen();
        Pulled pulled = HubFixture.pull(HubFixture.puller(hub, cache), REPO + ":Q8_0", PullPolicy.WHEN_MISSING);
        assertThat(Files.readAllBytes(pulled.file())).isEqualTo(q8.content());
        assertThat(hub.seen()).filteredOn(s -> s.server().equals("storage") && s.path().contains(q8.sha256()))
                .extracting(TestHub.Seen::range).containsExactly("bytes=" + kept + "-");
        assertThat(partial).doesNotExist();
    }

    @Test
    void twoApplicationsSharingACacheDownloadEachFileOnce() throws Exception {
        hub.throttle(250_000);
        Process a = pullIn(REPO + ":Q8_0");
        Process b = pullIn(REPO + ":Q8_0");
        String outA = output(a);
        String outB = output(b);
        assertThat(a.exitValue()).as(outA).isZero();
        assertThat(b.exitValue()).as(outB).isZero();
        Path file = cache.resolve("models--tiny-org--tiny-llama-GGUF/snapshots/" + hub.commit(REPO) + "/tiny-llama-Q8_0.gguf");
        assertThat(outA).contains("PULLED " + file);
        assertThat(outB).contains("PULLED " + file);
        assertThat(outA + outB).as("one waited for the other's lock, then found the file")
                .contains("Waiting for another process to finish downloading tiny-llama-Q8_0.gguf")
                .contains("tiny-llama-Q8_0.gguf of " + REPO + " was downloaded by another process");
        assertThat(Files.readAllBytes(file)).isEqualTo(hub.get(REPO, "tiny-llama-Q8_0.gguf").content());
        for (String path : List.of("tiny-llama-Q8_0.gguf", "mmproj-tiny-llama-F16.gguf")) {
            assertThat(hub.seen()).as(path + " was sent once, whole")
                    .filteredOn(s -> s.server().equals("storage") && s.path().contains(hub.get(REPO, path).sha256()))
                    .extracting(TestHub.Seen::range).containsExactly((String) null);
        }
        try (var blobs = Files.list(cache.resolve("models--tiny-org--tiny-llama-GGUF/blobs"))) {
            assertThat(blobs.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".incomplete"));
        }
    }

    private Process pullIn(String reference) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                PullMain.class.getName(), hub.endpoint().toString(), cache.toString(), reference)
                .redirectErrorStream(true).start();
    }

    private static String output(Process p) throws Exception {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
