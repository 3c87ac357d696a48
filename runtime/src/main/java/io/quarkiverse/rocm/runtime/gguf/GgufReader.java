package io.quarkiverse.rocm.runtime.gguf;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the metadata of a GGUF file (versions 2 and 3) without touching tensor data.
 * <p>
 * Every length in the file is checked against what is left of it before anything is allocated, so a truncated or
 * hostile file fails with a {@link GgufException} instead of an {@link OutOfMemoryError}. Arrays longer than
 * {@value #MAX_KEPT_ARRAY} elements (the vocabulary, merges) are skipped and only their length is kept.
 */
public final class GgufReader {

    static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian int
    /** Strings longer than this are refused (a chat template is a few KB, some reach 100 KB). */
    static final int MAX_STRING = 4 * 1024 * 1024;
    /** Arrays up to this length keep their values; longer ones only their length. */
    static final int MAX_KEPT_ARRAY = 64;
    static final int MAX_DEPTH = 3;

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
    private long bufStart; // file position of buf's first byte

    private GgufReader(Path path, FileChannel channel) throws IOException {
        this.path = path;
        this.channel = channel;
        this.size = channel.size();
        buf.limit(0);
    }

    /**
     * Reads the metadata of {@code path}.
     *
     * @throws GgufException if the file is missing, unreadable, not GGUF, an unsupported version, or malformed
     */
    public static GgufMetadata read(Path path) throws GgufException {
        if (Files.isDirectory(path)) {
            throw new GgufException(path, "is a directory, not a GGUF file");
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return new GgufReader(path, ch).readMetadata();
        } catch (GgufException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new GgufException(path, "no such file", e);
        } catch (EOFException e) {
            throw new GgufException(path, "truncated: the file ends inside the GGUF header", e);
        } catch (IOException e) {
            throw new GgufException(path, "cannot be read (" + e + ")", e);
        }
    }

    private GgufMetadata readMetadata() throws IOException {
        if (size < 24) {
            throw new GgufException(path, "not a GGUF file (only " + size + " bytes)");
        }
        int magic = i32();
        if (magic != MAGIC) {
            throw new GgufException(path, "not a GGUF file (it starts with " + hex(magic) + ", not \"GGUF\")");
        }
        int version = i32();
        if (version == 1) {
            throw new GgufException(path, "GGUF version 1 is not supported by llama.cpp any more: convert the model again");
        }
        if (version != 2 && version != 3) {
            if (Integer.reverseBytes(version) == 2 || Integer.reverseBytes(version) == 3) {
                throw new GgufException(path, "big-endian GGUF files are not supported on this machine");
            }
            throw new GgufException(path, "unsupported GGUF version " + Integer.toUnsignedString(version));
        }
        long tensorCount = u64("tensor count");
        long kvCount = u64("metadata count");
        // every key-value needs at least 8 (key length) + 4 (type) + 1 bytes; every tensor info at least 24
        if (kvCount > (size - position()) / 13) {
            throw new GgufException(path, "truncated or malformed: claims " + Long.toUnsignedString(kvCount)
                    + " metadata entries, more than the file can hold");
        }
        if (tensorCount > (size - position()) / 24) {
            throw new GgufException(path, "truncated or malformed: claims " + Long.toUnsignedString(tensorCount)
                    + " tensors, more than the file can hold");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Long> arrayLengths = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = string("metadata key");
            int type = i32();
            if (type == GgufType.ARRAY.ordinal()) {
                int elementType = i32();
                long n = u64("array length of " + key);
                arrayLengths.put(key, n);
                values.put(key, array(key, elementType, n, 1));
            } else {
                values.put(key, value(key, type, 0));
            }
        }
        long alignment = values.get("general.alignment") instanceof Long a && a > 0 && a <= 1 << 20 ? a : 32;
        checkTensorData(tensorCount, alignment);
        return new GgufMetadata(path, version, tensorCount, values, arrayLengths, size);
    }

    /**
     * Reads the tensor infos and checks that the last tensor ends inside the file: a partly downloaded model is a
     * common mistake, and llama-server reports it only after a long load. Quantisation types this reader does not
     * know are not checked.
     */
    private void checkTensorData(long tensorCount, long alignment) throws IOException {
        long lastOffset = -1, lastBytes = -1;
        for (long i = 0; i < tensorCount; i++) {
            String name = string("tensor name");
            int dims = i32();
            if (dims < 1 || dims > 4) {
                throw new GgufException(path, "malformed: tensor '" + name + "' has " + dims + " dimensions");
            }
            long elements = 1;
            for (int d = 0; d < dims; d++) {
                long ne = u64("dimension of tensor " + name);
                elements = ne == 0 ? 0 : (elements > Long.MAX_VALUE / ne ? Long.MAX_VALUE : elements * ne);
            }
            int type = i32();
            long offset = u64("offset of tensor " + name);
            if (offset >= lastOffset) {
                lastOffset = offset;
                lastBytes = GgmlTypeSize.bytes(type, elements);
            }
        }
        long dataStart = (position() + alignment - 1) / alignment * alignment;
        if (tensorCount > 0 && lastBytes >= 0 && dataStart + lastOffset + lastBytes > size) {
            throw new GgufException(path, "truncated: the tensor data needs " + (dataStart + lastOffset + lastBytes)
                    + " bytes but the file has " + size + " (an incomplete download?)");
        }
    }

    private Object value(String key, int type, int depth) throws IOException {
        GgufType t = GgufType.of(type);
        if (t == null) {
            throw new GgufException(path, "malformed: unknown value type " + type + " for key '" + key + "'");
        }
        return switch (t) {
            case UINT8 -> Byte.toUnsignedInt(i8());
            case INT8 -> (int) i8();
            case UINT16 -> Short.toUnsignedInt(i16());
            case INT16 -> (int) i16();
            case UINT32 -> Integer.toUnsignedLong(i32());
            case INT32 -> i32();
            case FLOAT32 -> Float.intBitsToFloat(i32());
            case BOOL -> i8() != 0;
            case STRING -> string(key);
            case UINT64, INT64 -> i64();
            case FLOAT64 -> Double.longBitsToDouble(i64());
            case ARRAY -> {
                int elementType = i32();
                yield array(key, elementType, u64("array length of " + key), depth + 1);
            }
        };
    }

    private Object array(String key, int elementType, long n, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new GgufException(path, "malformed: arrays nested deeper than " + MAX_DEPTH + " in '" + key + "'");
        }
        GgufType t = GgufType.of(elementType);
        if (t == null) {
            throw new GgufException(path, "malformed: unknown array element type " + elementType + " for key '" + key + "'");
        }
        long minElement = t.fixedSize > 0 ? t.fixedSize : (t == GgufType.STRING ? 8 : 12);
        if (n < 0 || n > (size - position()) / minElement) {
            throw new GgufException(path, "malformed or truncated: array '" + key + "' claims "
                    + Long.toUnsignedString(n) + " elements, more than the rest of the file can hold");
        }
        if (n > MAX_KEPT_ARRAY) {
            if (t.fixedSize > 0) {
                skip(n * t.fixedSize);
            } else {
                for (long i = 0; i < n; i++) {
                    if (t == GgufType.STRING) {
                        skip(u64("string length in '" + key + "'"));
                    } else {
                        value(key, t.ordinal(), depth);
                    }
                }
            }
            return new GgufMetadata.SkippedArray(t, n);
        }
        List<Object> out = new ArrayList<>((int) n);
        for (long i = 0; i < n; i++) {
            out.add(value(key, t.ordinal(), depth));
        }
        return List.copyOf(out);
    }

    private String string(String what) throws IOException {
        long n = u64("string length of " + what);
        if (n > MAX_STRING) {
            throw new GgufException(path, "malformed: string '" + what + "' claims " + Long.toUnsignedString(n)
                    + " bytes (the limit is " + MAX_STRING + ")");
        }
        if (n > size - position()) {
            throw new GgufException(path, "truncated: string '" + what + "' runs past the end of the file");
        }
        byte[] b = bytes((int) n);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new GgufException(path, "malformed: string '" + what + "' is not valid UTF-8", e);
        }
    }

    // ---------------------------------------------------------------- little-endian primitives over the channel

    private long position() {
        return bufStart + buf.position();
    }

    private void need(int n) throws IOException {
        if (buf.remaining() >= n) {
            return;
        }
        long pos = position();
        if (pos + n > size) {
            throw new EOFException();
        }
        buf.compact();
        bufStart = pos - buf.position();
        while (buf.position() < n) {
            if (channel.read(buf, bufStart + buf.position()) < 0) {
                throw new EOFException();
            }
        }
        buf.flip();
    }

    private void skip(long n) throws IOException {
        long target = position() + n;
        if (n < 0 || target > size) {
            throw new GgufException(path, "truncated: the file ends inside the metadata");
        }
        if (n <= buf.remaining()) {
            buf.position(buf.position() + (int) n);
            return;
        }
        bufStart = target;
        buf.clear().limit(0);
    }

    private byte[] bytes(int n) throws IOException {
        byte[] out = new byte[n];
        int off = 0;
        while (off < n) {
            need(1);
            int k = Math.min(n - off, buf.remaining());
            buf.get(out, off, k);
            off += k;
        }
        return out;
    }

    private byte i8() throws IOException {
        need(1);
        return buf.get();
    }

    private short i16() throws IOException {
        need(2);
        return buf.getShort();
    }

    private int i32() throws IOException {
        need(4);
        return buf.getInt();
    }

    private long i64() throws IOException {
        need(8);
        return buf.getLong();
    }

    private long u64(String what) throws IOException {
        long v = i64();
        if (v < 0) {
            throw new GgufException(path, "malformed: " + what + " is " + Long.toUnsignedString(v));
        }
        return v;
    }

    private static String hex(int v) {
        byte[] b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x", x));
        }
        return "0x" + s;
    }
}
