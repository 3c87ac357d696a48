package io.quarkiverse.rocm.testing.gguf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes GGUF version 3 files: typed metadata, then F32 tensors, aligned as llama.cpp expects.
 * <p>
 * The writer keeps everything in memory; it is meant for small, generated models (tests, demos).
 * Metadata and tensors are written in the order they were added.
 */
public final class GgufWriter {

    /** GGUF metadata value types, numbered as in the file format. */
    public enum ValueType {
        UINT8,
        INT8,
        UINT16,
        INT16,
        UINT32,
        INT32,
        FLOAT32,
        BOOL,
        STRING,
        ARRAY,
        UINT64,
        INT64,
        FLOAT64
    }

    private static final byte[] MAGIC = { 'G', 'G', 'U', 'F' };
    private static final int VERSION = 3;
    private static final int GGML_TYPE_F32 = 0;

    private final int alignment;
    private final Bytes metadata = new Bytes();
    private int metadataCount;
    private final List<Tensor> tensors = new ArrayList<>();

    private record Tensor(String name, long[] dims, float[] data) {
    }

    /**
     * @param alignment the tensor data alignment; also write it as {@code general.alignment} when it is not 32
     */
    public GgufWriter(int alignment) {
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0) {
            throw new IllegalArgumentException("alignment must be a power of two, got " + alignment);
        }
        this.alignment = alignment;
    }

    public GgufWriter putString(String key, String value) {
        header(key, ValueType.STRING).string(value);
        return this;
    }

    public GgufWriter putUInt32(String key, long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(key + ": " + value + " does not fit in uint32");
        }
        header(key, ValueType.UINT32).int32((int) value);
        return this;
    }

    public GgufWriter putInt32(String key, int value) {
        header(key, ValueType.INT32).int32(value);
        return this;
    }

    public GgufWriter putUInt64(String key, long value) {
        header(key, ValueType.UINT64).int64(value);
        return this;
    }

    public GgufWriter putFloat32(String key, float value) {
        header(key, ValueType.FLOAT32).int32(Float.floatToRawIntBits(value));
        return this;
    }

    public GgufWriter putBool(String key, boolean value) {
        header(key, ValueType.BOOL).int8(value ? 1 : 0);
        return this;
    }

    public GgufWriter putStringArray(String key, List<String> values) {
        Bytes b = arrayHeader(key, ValueType.STRING, values.size());
        for (String v : values) {
            b.string(v);
        }
        return this;
    }

    public GgufWriter putFloat32Array(String key, float[] values) {
        Bytes b = arrayHeader(key, ValueType.FLOAT32, values.length);
        for (float v : values) {
            b.int32(Float.floatToRawIntBits(v));
        }
        return this;
    }

    public GgufWriter putInt32Array(String key, int[] values) {
        Bytes b = arrayHeader(key, ValueType.INT32, values.length);
        for (int v : values) {
            b.int32(v);
        }
        return this;
    }

    /**
     * Adds an F32 tensor. {@code dims} are ggml's ne0, ne1, ...: ne0 is the length of one stored row.
     */
    public GgufWriter addTensor(String name, long[] dims, float[] data) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException(name + ": dims hold " + n + " values but data has " + data.length);
        }
        tensors.add(new Tensor(name, dims.clone(), data));
        return this;
    }

    /** Writes the whole file. */
    public void writeTo(OutputStream out) throws IOException {
        Bytes head = new Bytes();
        head.raw(MAGIC);
        head.int32(VERSION);
        head.int64(tensors.size());
        head.int64(metadataCount);
        head.raw(metadata.toByteArray());
        long offset = 0;
        for (Tensor t : tensors) {
            head.string(t.name);
            head.int32(t.dims.length);
            for (long d : t.dims) {
                head.int64(d);
            }
            head.int32(GGML_TYPE_F32);
            head.int64(offset);
            offset += padded(4L * t.data.length);
        }
        head.zeros(pad(head.size()));
        out.write(head.toByteArray());
        for (Tensor t : tensors) {
            ByteBuffer buf = ByteBuffer.allocate(4 * t.data.length).order(ByteOrder.LITTLE_ENDIAN);
            buf.asFloatBuffer().put(t.data);
            out.write(buf.array());
            out.write(new byte[(int) pad(buf.capacity())]);
        }
    }

    /** The whole file as bytes. */
    public byte[] toByteArray() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new IllegalStateException("a ByteArrayOutputStream cannot fail", e);
        }
        return out.toByteArray();
    }

    private long pad(long size) {
        return (alignment - size % alignment) % alignment;
    }

    private long padded(long size) {
        return size + pad(size);
    }

    private Bytes header(String key, ValueType type) {
        metadataCount++;
        metadata.string(key);
        metadata.int32(type.ordinal());
        return metadata;
    }

    private Bytes arrayHeader(String key, ValueType elementType, int length) {
        header(key, ValueType.ARRAY);
        metadata.int32(elementType.ordinal());
        metadata.int64(length);
        return metadata;
    }

    /** A little-endian byte sink. */
    private static final class Bytes extends ByteArrayOutputStream {

        void raw(byte[] b) {
            write(b, 0, b.length);
        }

        void int8(int v) {
            write(v);
        }

        void int32(int v) {
            for (int i = 0; i < 4; i++) {
                write(v >>> (8 * i));
            }
        }

        void int64(long v) {
            for (int i = 0; i < 8; i++) {
                write((int) (v >>> (8 * i)));
            }
        }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            int64(b.length);
            raw(b);
        }

        void zeros(long n) {
            for (long i = 0; i < n; i++) {
                write(0);
            }
        }
    }
}
