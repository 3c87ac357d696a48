package io.quarkiverse.rocm.runtime.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkiverse.rocm.testing.TinyModel;

class GgufReaderTest {

    @TempDir
    Path dir;

    /** A little-endian GGUF byte builder for hand-made (and hand-broken) files. */
    static final class Gguf {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Gguf header(int version, long tensors, long kvs) {
            raw("GGUF".getBytes(StandardCharsets.US_ASCII));
            return i32(version).i64(tensors).i64(kvs);
        }

        Gguf raw(byte[] b) {
            out.write(b, 0, b.length);
            return this;
        }

        Gguf i8(int v) {
            out.write(v);
            return this;
        }

        Gguf i16(int v) {
            return i8(v).i8(v >>> 8);
        }

        Gguf i32(int v) {
            return i16(v).i16(v >>> 16);
        }

        Gguf i64(long v) {
            return i32((int) v).i32((int) (v >>> 32));
        }

        Gguf str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            return i64(b.length).raw(b);
        }

        Gguf key(String key, GgufType type) {
            return str(key).i32(type.ordinal());
        }

        Path write(Path file) throws Exception {
            Files.write(file, out.toByteArray());
            return file;
        }
    }

    @Test
    void readsTheTinyModel() throws Exception {
        Path file = TinyModel.builder().contextLength(8192).build().writeTo(dir.resolve("tiny.gguf"));
        GgufMetadata m = GgufReader.read(file);
        assertThat(m.version()).isEqualTo(3);
        assertThat(m.tensorCount()).isEqualTo(21);
        assertThat(m.architecture()).contains("llama");
        assertThat(m.name()).contains("tiny-llama-scripted");
        assertThat(m.fileType()).contains("F32");
        assertThat(m.contextLength()).hasValue(8192);
        assertThat(m.blockCount()).hasValue(2);
        assertThat(m.embeddingLength()).hasValue(64);
        assertThat(m.headCount()).hasValue(4);
        assertThat(m.headCountKv()).hasValue(2);
        assertThat(m.keyLength()).hasValue(16);
        assertThat(m.vocabularySize()).hasValue(374);
        assertThat(m.chatTemplate()).hasValueSatisfying(t -> assertThat(t).contains("<tool_call>"));
        // 2 layers x 2 kv heads x (16 + 16) x 2 bytes
        assertThat(m.kvBytesPerToken()).hasValue(256);
        assertThat(m.values().get("tokenizer.ggml.tokens")).isEqualTo(new GgufMetadata.SkippedArray(GgufType.STRING, 374));
        assertThat(m.fileSize()).isEqualTo(Files.size(file));
        assertThat(m.summary()).contains("tiny-llama-scripted", "llama", "F32", "trained context 8192");
    }

    @Test
    void readsEveryValueTypeInVersion2() throws Exception {
        Gguf g = new Gguf().header(2, 0, 15)
                .key("general.architecture", GgufType.STRING).str("qwen2")
                .key("u8", GgufType.UINT8).i8(200)
                .key("i8", GgufType.INT8).i8(-3)
                .key("u16", GgufType.UINT16).i16(60000)
                .key("i16", GgufType.INT16).i16(-300)
                .key("u32", GgufType.UINT32).i32(0xFFFF_FFFF)
                .key("i32", GgufType.INT32).i32(-7)
                .key("f32", GgufType.FLOAT32).i32(Float.floatToIntBits(1.5f))
                .key("bool", GgufType.BOOL).i8(1)
                .key("i64", GgufType.INT64).i64(-9)
                .key("f64", GgufType.FLOAT64).i64(Double.doubleToLongBits(2.25))
                // some producers write the context length as uint64
                .key("qwen2.context_length", GgufType.UINT64).i64(131072)
                .key("ints", GgufType.ARRAY).i32(GgufType.INT32.ordinal()).i64(3).i32(1).i32(2).i32(3)
                .key("nested", GgufType.ARRAY).i32(GgufType.ARRAY.ordinal()).i64(1)
                .i32(GgufType.STRING.ordinal()).i64(2).str("a").str("b")
                .key("qwen2.attention.head_count_kv", GgufType.ARRAY).i32(GgufType.UINT32.ordinal()).i64(3)
                .i32(0).i32(8).i32(4);
        GgufMetadata m = GgufReader.read(g.write(dir.resolve("v2.gguf")));
        assertThat(m.version()).isEqualTo(2);
        assertThat(m.values()).containsEntry("u8", 200).containsEntry("i8", -3).containsEntry("u16", 60000)
                .containsEntry("i16", -300).containsEntry("u32", 4294967295L).containsEntry("i32", -7)
                .containsEntry("f32", 1.5f).containsEntry("bool", true).containsEntry("i64", -9L)
                .containsEntry("f64", 2.25).containsEntry("ints", List.of(1, 2, 3))
                .containsEntry("nested", List.of(List.of("a", "b")));
        assertThat(m.contextLength()).hasValue(131072);
        assertThat(m.headCountKv()).as("per-layer values: the largest").hasValue(8);
        assertThat(m.arrayLengths()).containsEntry("ints", 3L);
    }

    @Test
    void refusesWhatIsNotAGgufFile() throws Exception {
        Path text = Files.writeString(dir.resolve("model.gguf"), "this is not a model, just some text........");
        assertThatThrownBy(() -> GgufReader.read(text)).isInstanceOf(GgufException.class)
                .hasMessageContaining(text.toString()).hasMessageContaining("not a GGUF file");
        Path empty = Files.write(dir.resolve("empty.gguf"), new byte[0]);
        assertThatThrownBy(() -> GgufReader.read(empty)).hasMessageContaining("not a GGUF file (only 0 bytes)");
        assertThatThrownBy(() -> GgufReader.read(dir.resolve("missing.gguf"))).isInstanceOf(GgufException.class)
                .hasMessageContaining("missing.gguf: no such file");
        assertThatThrownBy(() -> GgufReader.read(dir)).hasMessageContaining("is a directory");
    }

    @Test
    void refusesUnsupportedVersions() throws Exception {
        Path v1 = new Gguf().header(1, 0, 0).i64(0).write(dir.resolve("v1.gguf"));
        assertThatThrownBy(() -> GgufReader.read(v1)).hasMessageContaining("version 1 is not supported");
        Path v9 = new Gguf().header(9, 0, 0).i64(0).write(dir.resolve("v9.gguf"));
        assertThatThrownBy(() -> GgufReader.read(v9)).hasMessageContaining("unsupported GGUF version 9");
        Path be = new Gguf().header(Integer.reverseBytes(3), 0, 0).write(dir.resolve("be.gguf"));
        assertThatThrownBy(() -> GgufReader.read(be)).hasMessageContaining("big-endian");
    }

    @Test
    void truncatedFilesFailCleanly() throws Exception {
        byte[] whole = TinyModel.defaults().toByteArray();
        for (int cut : new int[] { 30, 100, 1000, 5000, 20000, whole.length - 1 }) {
            Path file = Files.write(dir.resolve("cut" + cut + ".gguf"), Arrays.copyOf(whole, cut));
            assertThatThrownBy(() -> GgufReader.read(file)).as("cut at %d", cut).isInstanceOf(GgufException.class)
                    .hasMessageContaining("truncated");
        }
    }

    @Test
    void hostileLengthsAreBoundedBeforeAnythingIsAllocated() throws Exception {
        Path kvs = new Gguf().header(3, 0, Long.MAX_VALUE).write(dir.resolve("kvs.gguf"));
        assertThatThrownBy(() -> GgufReader.read(kvs)).hasMessageContaining("metadata entries, more than the file can hold");
        Path negative = new Gguf().header(3, 0, -1L).write(dir.resolve("neg.gguf"));
        assertThatThrownBy(() -> GgufReader.read(negative)).hasMessageContaining("malformed");
        Path tensors = new Gguf().header(3, 1L << 40, 0).write(dir.resolve("tensors.gguf"));
        assertThatThrownBy(() -> GgufReader.read(tensors)).hasMessageContaining("tensors, more than the file can hold");
        Path string = new Gguf().header(3, 0, 1).i64(1L << 40).raw(new byte[32]).write(dir.resolve("str.gguf"));
        assertThatThrownBy(() -> GgufReader.read(string)).hasMessageContaining("the limit is");
        Path longString = new Gguf().header(3, 0, 1).i64(1000).raw(new byte[32]).write(dir.resolve("str2.gguf"));
        assertThatThrownBy(() -> GgufReader.read(longString)).hasMessageContaining("runs past the end of the file");
        Path array = new Gguf().header(3, 0, 1).key("a", GgufType.ARRAY).i32(GgufType.UINT64.ordinal())
                .i64(1L << 50).raw(new byte[64]).write(dir.resolve("arr.gguf"));
        assertThatThrownBy(() -> GgufReader.read(array)).hasMessageContaining("more than the rest of the file can hold");
        Gguf deep = new Gguf().header(3, 0, 1).key("d", GgufType.ARRAY);
        for (int i = 0; i < 6; i++) {
            deep.i32(GgufType.ARRAY.ordinal()).i64(1);
        }
        Path deepFile = deep.raw(new byte[64]).write(dir.resolve("deep.gguf"));
        assertThatThrownBy(() -> GgufReader.read(deepFile)).hasMessageContaining("nested deeper");
        Path badType = new Gguf().header(3, 0, 1).str("x").i32(99).raw(new byte[16]).write(dir.resolve("bt.gguf"));
        assertThatThrownBy(() -> GgufReader.read(badType)).hasMessageContaining("unknown value type 99");
        Path utf = new Gguf().header(3, 0, 1).i64(2).raw(new byte[] { (byte) 0xC3, (byte) 0x28 }).raw(new byte[16])
                .write(dir.resolve("utf.gguf"));
        assertThatThrownBy(() -> GgufReader.read(utf)).hasMessageContaining("not valid UTF-8");
        Path dims = new Gguf().header(3, 1, 0).str("t").i32(9).raw(new byte[64]).write(dir.resolve("dims.gguf"));
        assertThatThrownBy(() -> GgufReader.read(dims)).hasMessageContaining("tensor 't' has 9 dimensions");
    }
}
