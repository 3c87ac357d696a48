package io.quarkiverse.rocm.runtime.hub;

import static io.quarkiverse.rocm.runtime.hub.HubFixture.REPO;
import static io.quarkiverse.rocm.runtime.hub.HubFixture.pull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.quarkiverse.rocm.runtime.config.PullPolicy;
import io.quarkiverse.rocm.testing.hub.TestHub;

/** Pulls from the test hub into a cache laid out as llama.cpp and huggingface_hub lay it out. */
class PullerTest extends HubTest {

    @Test
    void theQuantTagChoosesTheFileAndOnlyItAndItsProjectorAreDownloaded() throws Exception {
        Puller puller = HubFixture.puller(hub, cache);
        Pulled pulled = pull(puller, REPO + ":q8_0", PullPolicy.WHEN_MISSING);

        String commit = hub.commit(REPO);
        Path repoDir = cache.resolve("models--tiny-org--tiny-llama-GGUF");
        assertThat(pulled.commit()).isEqualTo(commit);
        assertThat(pulled.file()).isEqualTo(repoDir.resolve("snapshots/" + commit + "/tiny-llama-Q8_0.gguf"));
        assertThat(pulled.downloaded()).isTrue();
        assertThat(Files.readString(repoDir.resolve("refs/main"))).isEqualTo(commit);
        String sha = hub.get(REPO, "tiny-llama-Q8_0.gguf").sha256();
        assertThat(Files.readSymbolicLink(pulled.file()).toString()).isEqualTo("../../blobs/" + sha);
        assertThat(Files.readAllBytes(pulled.file())).isEqualTo(hub.get(REPO, "tiny-llama-Q8_0.gguf").content());
        assertThat(pulled.projector()).contains(repoDir.resolve("snapshots/" + commit + "/mmproj-tiny-llama-F16.gguf"));
        try (var blobs = Files.list(repoDir.resolve("blobs"))) {
            assertThat(blobs.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(sha,
                    hub.get(REPO, "mmproj-tiny-llama-F16.gguf").sha256());
        }
        assertThat(hub.seen()).filteredOn(s -> s.server().equals("storage"))
                .as("the token-less storage got the two files, never an Authorization header").hasSize(2)
                .noneMatch(TestHub.Seen::authorized);
    }

    @Test
    void withoutATagQ4KMIsChosenAsLlamaServerChoosesIt() {
        Pulled pulled = pull(HubFixture.puller(hub, cache), REPO, PullPolicy.WHEN_MISSING);
        assertThat(pulled.file().getFileName()).hasToString("tiny-llama-Q4_K_M.gguf");
    }

    @Test
    void aTagThatMatchesNothingNamesTheFilesThereAre() {
        assertThatThrownBy(() -> pull(HubFixture.puller(hub, cache), REPO + ":Q2_K", PullPolicy.WHEN_MISSING))
                .isInstanceOf(HubException.class).hasMessageContaining("no GGUF file for the quantization 'Q2_K'")
                .hasMessageContaining("tiny-llama-Q8_0.gguf");
    }

    @Test
    void aCachedModelIsUsedWithTheHubDown() {
        Puller puller = HubFixture.puller(hub, cache);
        Pulled first = pull(puller, REPO + ":Q8_0", PullPolicy.WHEN_MISSING);
        hub.close();
        Pulled again = pull(HubFixture.puller(hub, cache), REPO + ":Q8_0", PullPolicy.WHEN_MISSING);
        assertThat(again.file()).isEqualTo(first.file());
        assertThat(again.downloaded()).isFalse();
        Pulled always = pull(HubFixture.puller(hub, cache), REPO + ":Q8_0", PullPolicy.ALWAYS);
        assertThat(always.file()).as("always, with the hub unreachable: the cached copy").isEqualTo(first.file());
    }

    @Test
    void aDroppedConnectionResumesWithARangeRequest() throws Exception {
        hub.dropNextAfter("tiny-llama-Q8_0.gguf", 100_000);
        Pulled pulled = pull(HubFixture.puller(hub, cache), REPO + ":Q8_0", PullPolicy.WHEN_MISSING);
        assertThat(Files.readAllBytes(pulled.file())).isEqualTo(hub.get(REPO, "tiny-llama-Q8_0.gguf").content());
        List<String> ranges = hub.seen().stream().filter(s -> s.server().equals("storage") && s.path().contains(
                hub.get(REPO, "tiny-llama-Q8_0.gguf").sha256())).map(s -> String.valueOf(s.range())).toList();
        assertThat(ranges).hasSize(2).first().isEqualTo("null");
        // the second asks for what the first left on disk (what the client had received when the connection ended)
        long resumedAt = Long.parseLong(ranges.get(1).replaceAll("bytes=([0-9]+)-", "$1"));
        assertThat(resumedAt).isPositive().isLessThanOrEqualTo(100_000);
    }

    @Test
    void aStalledTransferIsGivenUpAndResumed() throws Exception {
        BlobDownload.stallMillis = 1500;
        hub.stallNextAfter("tiny-llama-Q8_0.gguf", 50_000);
        Pulled pulled = pull(HubFixture.puller(hub, cache), REPO + ":Q8_0", PullPolicy.WHEN_MISSING);
        assertThat(Files.readAllBytes(pulled.file())).isEqualTo(hub.get(REPO, "tiny-llama-Q8_0.gguf").content());
        assertThat(hub.seen()).extracting(TestHub.Seen::range).contains("bytes=50000-");
    }

    @Test
    void bytesThatDoNotMatchTheHubsSha256AreNotKept() throws Exception {
        hub.corrupt("tiny-llama-Q8_0.gguf", true);
        String sha = hub.get(REPO, "tiny-llama-Q8_0.gguf").sha256();
        assertThatThrownBy(() -> pull(HubFixture.puller(hub, cache), REPO + ":Q8_0", PullPolicy.WHEN_MISSING))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("sha256 mismatch for tiny-llama-Q8_0.gguf of " + REPO)
                .hasMessageContaining("announced " + sha)
                .hasMessageMatching("(?s).*hash to [0-9a-f]{64}.*");
        Path blobs = cache.resolve("models--tiny-org--tiny-llama-GGUF/blobs");
        assertThat(blobs.resolve(sha)).doesNotExist();
        assertThat(blobs.resolve(sha + ".incomplete")).doesNotExist();
        assertThat(cache.resolve("models--tiny-org--tiny-llama-GGUF/refs/main")).doesNotExist();
        hub.corrupt("tiny-llama-Q8_0.gguf", false);
        assertThat(pull(HubFixture.puller(hub, cache), REPO + ":Q8_0", PullPolicy.WHEN_MISSING).file()).exists();
    }

    @Test
    void aRepositoryThatNeedsATokenSaysSo_theTokenGoesToTheHubOnly() {
        hub.requireToken(REPO, "hf_testtokentesttokentesttokentesttoken");
        assertThatThrownBy(() -> pull(HubFixture.puller(hub, cache), REPO + ":Q8_0", PullPolicy.WHEN_MISSING))
                .isInstanceOf(HubException.class).hasMessageContaining("Repository " + REPO)
                .hasMessageContaining("401 GatedRepo")
                .hasMessageContaining("a token is needed for it (or it does not exist): set quarkus.rocm.hf.token or HF_TOKEN");
        assertThatThrownBy(() -> pull(HubFixture.puller(hub, cache, Optional.of("hf_wrong")), REPO + ":Q8_0",
                PullPolicy.WHEN_MISSING)).hasMessageContaining("the token was refused")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hf_wrong"));
        hub.clearSeen();
        Pulled pulled = pull(HubFixture.puller(hub, cache, Optional.of("hf_testtokentesttokentesttokentesttoken")),
                REPO + ":Q8_0", PullPolicy.WHEN_MISSING);
        assertThat(pulled.file()).exists();
        assertThat(hub.seen()).filteredOn(s -> s.server().equals("hub")).allMatch(TestHub.Seen::authorized);
        assertThat(hub.seen()).filteredOn(s -> s.server().equals("storage")).isNotEmpty()
                .noneMatch(TestHub.Seen::authorized);
    }

    @Test
    void alwaysDownloadsANewCommit_whenMissingKeepsTheCachedOne() throws Exception {
        Puller puller = HubFixture.puller(hub, cache);
        Pulled first = pull(puller, REPO + ":Q8_0", PullPolicy.WHEN_MISSING);
        hub.clearSeen();
        Pulled same = pull(puller, REPO + ":Q8_0", PullPolicy.ALWAYS);
        assertThat(same.downloaded()).as("the hub's commit did not change").isFalse();
        assertThat(hub.seen()).filteredOn(s -> s.path().contains("/resolve/") || s.server().equals("storage")).isEmpty();

        hub.file(REPO, "tiny-llama-Q8_0.gguf", HubFixture.gguf("Q8_0, retrained"));
        Pulled whenMissing = pull(puller, REPO + ":Q8_0", PullPolicy.WHEN_MISSING);
        assertThat(whenMissing.commit()).isEqualTo(first.commit());
        Pulled always = pull(puller, REPO + ":Q8_0", PullPolicy.ALWAYS);
        assertThat(always.downloaded()).isTrue();
        assertThat(always.commit()).isEqualTo(hub.commit(REPO)).isNotEqualTo(first.commit());
        assertThat(Files.readAllBytes(always.file())).isEqualTo(hub.get(REPO, "tiny-llama-Q8_0.gguf").content());
        assertThat(Files.readString(cache.resolve("models--tiny-org--tiny-llama-GGUF/refs/main")))
                .isEqualTo(always.commit());
    }

    @Test
    void aSplitModelComesWholeAndPagedListingsAreFollowed() {
        hub.pageSize(2)
                .file("tiny-org/split-GGUF", "Q4_K_M/split-Q4_K_M-00002-of-00002.gguf", HubFixture.gguf("part 2"))
                .file("tiny-org/split-GGUF", "Q4_K_M/split-Q4_K_M-00001-of-00002.gguf", HubFixture.gguf("part 1"))
                .file("tiny-org/split-GGUF", "Q8_0/split-Q8_0.gguf", HubFixture.gguf("q8"));
        Pulled pulled = pull(HubFixture.puller(hub, cache), "tiny-org/split-GGUF", PullPolicy.WHEN_MISSING);
        assertThat(pulled.parts()).extracting(p -> p.getFileName().toString())
                .containsExactly("split-Q4_K_M-00001-of-00002.gguf", "split-Q4_K_M-00002-of-00002.gguf");
        assertThat(pulled.parts()).allMatch(Files::isRegularFile);
        assertThat(hub.seen()).filteredOn(s -> s.path().contains("/tree/")).hasSizeGreaterThan(1);
    }

    @Test
    void theTokenHuggingfaceCliSavedIsUsed() throws Exception {
        String token = "hf_savedbyhuggingfacecliloginsavedbyhuggingface";
        hub.requireToken(REPO, token);
        Path home = HubFixture.tempDir("hf-home");
        Files.writeString(home.resolve("token"), token + "\n");
        Puller puller = Puller.of(Optional.of(hub.endpoint()), Optional.empty(), Optional.of(cache),
                java.util.Map.of("HF_HOME", home.toString()));
        assertThat(pull(puller, REPO + ":Q8_0", PullPolicy.WHEN_MISSING).file()).exists();
        assertThat(hub.seen()).filteredOn(s -> s.server().equals("hub")).isNotEmpty().allMatch(TestHub.Seen::authorized);
    }

    @Test
    void notEnoughDiskSpaceNamesTheFolderAndBothSizes() throws Exception {
        Path small = HubFixture.tempDir("small-disk");
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", small.toString())
                .redirectErrorStream(true).start();
        String why = new String(mount.getInputStream().readAllBytes()).strip();
        org.junit.jupiter.api.Assumptions.assumeTrue(mount.waitFor() == 0,
                "a small file system for the test cannot be mounted (needs root): " + why);
        try {
            assertThatThrownBy(() -> pull(HubFixture.puller(hub, small), REPO + ":Q8_0", PullPolicy.WHEN_MISSING))
                    .isInstanceOf(HubException.class)
                    .hasMessageContaining(
                            "Not enough disk space in " + small.resolve("models--tiny-org--tiny-llama-GGUF/blobs"))
                    .hasMessageContaining("for tiny-llama-Q8_0.gguf of " + REPO)
                    .hasMessageContaining("it needs 493.1 kB (" + hub.get(REPO, "tiny-llama-Q8_0.gguf").content().length
                            + " bytes)")
                    .hasMessageMatching("(?s).*kB \\([0-9]+ bytes\\) are free.*")
                    .hasMessageContaining("quarkus.rocm.hf.cache");
        } finally {
            new ProcessBuilder("umount", small.toString()).inheritIO().start().waitFor();
        }
    }
}
