package io.quarkiverse.rocm.runtime.client;

import io.vertx.core.buffer.Buffer;

/** Byte tests on the SSE lines of an answer, without copying them. */
public final class Bytes {

    private Bytes() {
    }

    /** Whether {@code b} begins with {@code prefix}. */
    public static boolean startsWith(Buffer b, byte[] prefix) {
        if (b.length() < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b.getByte(i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
