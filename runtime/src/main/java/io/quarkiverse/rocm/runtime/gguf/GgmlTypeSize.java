package io.quarkiverse.rocm.runtime.gguf;

/** Bytes taken by a tensor of a ggml type, for the types whose block layout is stable and well known. */
final class GgmlTypeSize {

    // {ggml type id, elements per block, bytes per block}
    private static final int[][] TYPES = {
            { 0, 1, 4 }, // F32
            { 1, 1, 2 }, // F16
            { 2, 32, 18 }, // Q4_0
            { 3, 32, 20 }, // Q4_1
            { 6, 32, 22 }, // Q5_0
            { 7, 32, 24 }, // Q5_1
            { 8, 32, 34 }, // Q8_0
            { 10, 256, 84 }, // Q2_K
            { 11, 256, 110 }, // Q3_K
            { 12, 256, 144 }, // Q4_K
            { 13, 256, 176 }, // Q5_K
            { 14, 256, 210 }, // Q6_K
            { 24, 1, 1 }, // I8
            { 25, 1, 2 }, // I16
            { 26, 1, 4 }, // I32
            { 27, 1, 8 }, // I64
            { 28, 1, 8 }, // F64
            { 30, 1, 2 }, // BF16
    };

    private GgmlTypeSize() {
    }

    /** The tensor's size in bytes, or -1 for a type not listed here. */
    static long bytes(int type, long elements) {
        for (int[] t : TYPES) {
            if (t[0] == type) {
                long blocks = (elements + t[1] - 1) / t[1];
                return blocks > Long.MAX_VALUE / t[2] ? Long.MAX_VALUE : blocks * t[2];
            }
        }
        return -1;
    }
}
