package io.quarkiverse.rocm.runtime.process;

/** llama-server could not be found, started or kept running; the message says why and what to do. */
public class LlamaServerException extends RuntimeException {

    public LlamaServerException(String message) {
        super(message);
    }

    public LlamaServerException(String message, Throwable cause) {
        super(message, cause);
    }
}
