package io.quarkiverse.rocm.runtime.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The file llama-server's {@code -hf} would choose (llama.cpp {@code common/download.cpp}), and the references. */
class FileChoiceTest {

    static List<HubFile> files(String... paths) {
        return Arrays.stream(paths).map(p -> new HubFile(p, 1, "")).toList();
    }

    static String choose(List<HubFile> files, String reference) {
        return FileChoice.choose(files, HubModel.parse(reference, Optional.empty(), "main", "p")).primary().path();
    }

    @Test
    void theTagIsMatchedAsTagDotOrDashCaseInsensitiveFirstInListingOrder() {
        List<HubFile> files = files("README.md", "m-Q4_K_S.gguf", "m-Q4_K_M.gguf", "m-q8_0.gguf", "m-Q4_K_M-imatrix.gguf");
        assertThat(choose(files, "o/r:Q8_0")).isEqualTo("m-q8_0.gguf");
        assertThat(choose(files, "o/r:q4_k_m")).isEqualTo("m-Q4_K_M.gguf");
        assertThatThrownBy(() -> choose(files, "o/r:Q4_K")).as("Q4_K is followed by _ in every name")
                .hasMessageContaining("no GGUF file for the quantization 'Q4_K'")
                .hasMessageContaining("m-Q4_K_S.gguf, m-Q4_K_M.gguf");
    }

    @Test
    void withoutATagQ4KMThenQ8ThenTheFirstModelNotAProjectorOrImatrix() {
        assertThat(choose(files("a-F16.gguf", "a-Q8_0.gguf", "a-Q4_K_M.gguf"), "o/r")).isEqualTo("a-Q4_K_M.gguf");
        assertThat(choose(files("a-F16.gguf", "a-Q8_0.gguf"), "o/r")).isEqualTo("a-Q8_0.gguf");
        assertThat(choose(files("mmproj-a-F16.gguf", "a.imatrix.gguf", "a-BF16.gguf"), "o/r")).isEqualTo("a-BF16.gguf");
    }

    @Test
    void aSplitModelIsChosenByItsFirstPartAndComesWhole() {
        List<HubFile> files = files("Q4_K_M/a-Q4_K_M-00002-of-00003.gguf", "Q4_K_M/a-Q4_K_M-00001-of-00003.gguf",
                "Q4_K_M/a-Q4_K_M-00003-of-00003.gguf", "Q8_0/a-Q8_0.gguf");
        FileChoice.Chosen chosen = FileChoice.choose(files, HubModel.parse("o/r", Optional.empty(), "main", "p"));
        assertThat(chosen.parts()).extracting(HubFile::path).containsExactly("Q4_K_M/a-Q4_K_M-00001-of-00003.gguf",
                "Q4_K_M/a-Q4_K_M-00002-of-00003.gguf", "Q4_K_M/a-Q4_K_M-00003-of-00003.gguf");
    }

    @Test
    void theProjectorIsTheDeepestSiblingThenTheNearestInBits() {
        List<HubFile> files = files("mmproj-F16.gguf", "mmproj-Q8_0.gguf", "vision/mmproj-F32.gguf", "a-Q8_0.gguf",
                "vision/a-Q4_K_M.gguf", "other/mmproj-Q4_0.gguf");
        FileChoice.Chosen top = FileChoice.choose(files, HubModel.parse("o/r:Q8_0", Optional.empty(), "main", "p"));
        assertThat(top.projector()).map(HubFile::path).contains("mmproj-Q8_0.gguf");
        FileChoice.Chosen deep = FileChoice.choose(files, HubModel.parse("o/r", Optional.empty(), "main", "p"));
        assertThat(deep.primary().path()).isEqualTo("vision/a-Q4_K_M.gguf");
        assertThat(deep.projector()).map(HubFile::path).as("its own folder first").contains("vision/mmproj-F32.gguf");
        assertThat(FileChoice.choose(files("a-Q8_0.gguf"), HubModel.parse("o/r", Optional.empty(), "main", "p"))
                .projector()).isEmpty();
    }

    @Test
    void anExactFileIsFoundCaseInsensitivelyOrNamedMissing() {
        List<HubFile> files = files("a-Q8_0.gguf", "a-Q5_K_S.gguf");
        assertThat(FileChoice.choose(files, HubModel.parse("o/r", Optional.of("A-q5_k_s.gguf"), "main", "p"))
                .primary().path()).isEqualTo("a-Q5_K_S.gguf");
        assertThatThrownBy(() -> FileChoice.choose(files, HubModel.parse("o/r", Optional.of("b.gguf"), "main", "p")))
                .hasMessageContaining("has no file 'b.gguf'").hasMessageContaining("a-Q8_0.gguf, a-Q5_K_S.gguf");
    }

    @Test
    void referencesAreCheckedAsLlamaCppChecksThem() {
        assertThat(HubModel.parse("ggml-org/gemma-3-4b-it-GGUF:Q4_K_M", Optional.empty(), "main", "p"))
                .isEqualTo(new HubModel("ggml-org/gemma-3-4b-it-GGUF", "Q4_K_M", Optional.empty(), "main"));
        for (String bad : List.of("gemma", "a/b/c", "a//b", "-a/b", "a/b-", "a b/c", "a/b:Q4 K")) {
            assertThatThrownBy(() -> HubModel.parse(bad, Optional.empty(), "main", "quarkus.rocm.model.hf-repo"))
                    .as(bad).hasMessageStartingWith("quarkus.rocm.model.hf-repo=" + bad);
        }
        assertThatThrownBy(() -> HubModel.parse("a/b:Q8_0", Optional.of("x.gguf"), "main", "p"))
                .hasMessageContaining("keep one of them");
    }

    @Test
    void theCacheIsWhereLlamaServerLooksForIt() {
        Path home = Path.of(System.getProperty("user.home"));
        assertThat(HubCache.locate(Optional.empty(), Map.of()).root()).isEqualTo(home.resolve(".cache/huggingface/hub"));
        assertThat(HubCache.locate(Optional.empty(), Map.of("XDG_CACHE_HOME", "/x")).root())
                .isEqualTo(Path.of("/x/huggingface/hub"));
        assertThat(HubCache.locate(Optional.empty(), Map.of("XDG_CACHE_HOME", "/x", "HF_HOME", "/h")).root())
                .isEqualTo(Path.of("/h/hub"));
        assertThat(HubCache.locate(Optional.empty(), Map.of("HF_HOME", "/h", "HUGGINGFACE_HUB_CACHE", "/c")).root())
                .isEqualTo(Path.of("/c"));
        assertThat(HubCache.locate(Optional.empty(), Map.of("HUGGINGFACE_HUB_CACHE", "/c", "HF_HUB_CACHE", "/d")).root())
                .isEqualTo(Path.of("/d"));
        assertThat(HubCache.locate(Optional.empty(), Map.of("HF_HUB_CACHE", "/d", "LLAMA_CACHE", "/l")).root())
                .isEqualTo(Path.of("/l"));
        assertThat(HubCache.locate(Optional.of(Path.of("/q")), Map.of("LLAMA_CACHE", "/l")).root())
                .isEqualTo(Path.of("/q"));
        assertThat(new HubCache(Path.of("/l")).repoDir("ggml-org/gemma-3-4b-it-GGUF"))
                .isEqualTo(Path.of("/l/models--ggml-org--gemma-3-4b-it-GGUF"));
    }
}
