package io.quarkiverse.rocm.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Java generator must write the same bytes as the reference generator (make_tiny_gguf.py), whose outputs for
 * these options were hashed once and pinned here.
 */
class TinyModelTest {

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void defaultModelIsByteIdenticalToTheReference() throws Exception {
        assertThat(sha256(TinyModel.defaults().toByteArray())).isEqualTo(TinyModel.DEFAULT_SHA256)
                .startsWith("29b26740").endsWith("c69");
    }

    @ParameterizedTest
    @CsvSource({
            "SCRIPTED, 7, 4096, 0.001, b48fd83dcfdade02d92bfdb8e53e33e9ade509310f9ecd5485ed7a7105e3502f",
            "SCRIPTED, 42, 131072, 0.001, cfa775e997e2cd79d562e3bcd22b4bee758d74b36cd3f869c42b6bac7368ef00",
            "RANDOM, 3, 4096, 0.001, 0df57a92604d0016b633d7b75c05f3edfc2d403047553822ade0770da662d061",
            "SCRIPTED, -5, 4096, 0.01, ad357640a4a97d688a95d99e25109f3be15917e6c120f340a98221d7518b6400" })
    void optionsMatchTheReference(TinyModel.Mode mode, long seed, long ctx, double noise, String sha) throws Exception {
        TinyModel model = TinyModel.builder().mode(mode).seed(seed).contextLength(ctx).noise(noise).build();
        assertThat(sha256(model.toByteArray())).isEqualTo(sha);
    }

    @Test
    void anotherReplyMatchesTheReference() throws Exception {
        TinyModel model = TinyModel.builder().reply("I am the second model.").build();
        assertThat(sha256(model.toByteArray()))
                .isEqualTo("9063e46a735f5b05448bdbd692a4311727f8d61227448c929fc6aea964762f20");
        assertThat(model.replyTokens()).containsExactly("I am", " the", " second", " model.");
    }

    @Test
    void defaultReplyIsFourteenChainTokensBeforeTheEndOfTurn() {
        assertThat(TinyModel.defaults().replyTokens()).hasSize(14)
                .startsWith("Hello!", " I am", " a tiny")
                .endsWith(" answer.");
        assertThat(String.join("", TinyModel.defaults().replyTokens())).isEqualTo(TinyModel.DEFAULT_REPLY);
    }

    @Test
    void writesAtomicallyToAFile(@TempDir Path dir) throws Exception {
        Path file = TinyModel.defaults().writeTo(dir.resolve("sub/tiny.gguf"));
        assertThat(sha256(Files.readAllBytes(file))).isEqualTo(TinyModel.DEFAULT_SHA256);
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void rejectsRepliesThatCannotBeScripted() {
        assertThatThrownBy(() -> TinyModel.builder().reply("").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-empty reply");
        assertThatThrownBy(() -> TinyModel.builder().reply("ab").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(">= 3 characters");
        String tooLong = "word ".repeat(60).replace("word", "w%02d").formatted((Object[]) range(60));
        assertThatThrownBy(() -> TinyModel.builder().reply(tooLong).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reply too long");
        assertThatThrownBy(() -> TinyModel.builder().contextLength(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("contextLength");
    }

    private static Integer[] range(int n) {
        Integer[] r = new Integer[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
