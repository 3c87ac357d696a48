package io.quarkiverse.rocm.runtime.gguf;

import java.io.IOException;
import java.nio.file.Path;

/** A file that is not a GGUF model llama-server could load, with the path and the reason. */
public class GgufException extends IOException {

    private final Path path;

    public GgufException(Path path, String reason) {
        super(path + ": " + reason);
        this.path = path;
    }

    public GgufException(Path path, String reason, Throwable cause) {
        super(path + ": " + reason, cause);
        this.path = path;
    }

    public Path path() {
        return path;
    }
}
