package io.quarkiverse.rocm.runtime.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

import io.quarkiverse.rocm.runtime.config.PullPolicy;
import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkiverse.rocm.testing.hub.TestHub;

/** A test hub serving tiny GGUFs as a GGUF repository does (several quantizations, a projector, a README). */
final class HubFixture {

    static final String REPO = "tiny-org/tiny-llama-GGUF";

    private HubFixture() {
    }

    /** A tiny model whose bytes differ from the others' (its answer names it). */
    static byte[] gguf(String name) {
        return TinyModel.builder().reply("I am " + name + ".").build().toByteArray();
    }

    /** The repository: F16, Q8_0 and Q4_K_M files in the hub's listing order, a projector and a README. */
    static TestHub repo(TestHub hub) {
        return hub.file(REPO, "README.md", "# tiny llama\n".getBytes())
                .file(REPO, "tiny-llama-F16.gguf", gguf("F16"))
                .file(REPO, "tiny-llama-Q8_0.gguf", gguf("Q8_0"))
                .file(REPO, "tiny-llama-Q4_K_M.gguf", gguf("Q4_K_M"))
                .file(REPO, "mmproj-tiny-llama-F16.gguf", gguf("mmproj"));
    }

    static Puller puller(TestHub hub, Path cache) {
        return puller(hub, cache, Optional.empty());
    }

    static Puller puller(TestHub hub, Path cache, Optional<String> token) {
        return new Puller(new HubClient(hub.endpoint(), token), new HubCache(cache));
    }

    static Pulled pull(Puller puller, String reference, PullPolicy policy) {
        return puller.pull(HubModel.parse(reference, Optional.empty(), "main", "test"), policy,
                new PullProgress(reference), () -> false);
    }

    static Path tempDir(String name) throws IOException {
        Path dir = Path.of("target", "hub-tests", name).toAbsolutePath();
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return Files.createDirectories(dir);
    }
}
