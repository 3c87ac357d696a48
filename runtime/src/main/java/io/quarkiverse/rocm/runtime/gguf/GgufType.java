package io.quarkiverse.rocm.runtime.gguf;

/** GGUF metadata value types, in the file format's numbering. */
public enum GgufType {
    UINT8(1),
    INT8(1),
    UINT16(2),
    INT16(2),
    UINT32(4),
    INT32(4),
    FLOAT32(4),
    BOOL(1),
    STRING(0),
    ARRAY(0),
    UINT64(8),
    INT64(8),
    FLOAT64(8);

    /** Size in bytes, 0 for the variable-sized types. */
    final int fixedSize;

    GgufType(int fixedSize) {
        this.fixedSize = fixedSize;
    }

    static GgufType of(int id) {
        GgufType[] all = values();
        return id >= 0 && id < all.length ? all[id] : null;
    }
}
