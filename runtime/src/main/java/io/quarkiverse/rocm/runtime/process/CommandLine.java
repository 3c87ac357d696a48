package io.quarkiverse.rocm.runtime.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One llama-server's command line: the binary, the arguments that come from configuration (model, context, slots,
 * threads, GPU layers, the user's own {@code args}), and at each launch where it listens and its key file. Two equal
 * command lines run the same server.
 *
 * @param binary the llama-server binary
 * @param modelArguments every argument but the listening address and the key
 */
public record CommandLine(Path binary, List<String> modelArguments) {

    public CommandLine {
        modelArguments = List.copyOf(modelArguments);
    }

    /** The whole command of one launch: on {@code host}:{@code port} (0: a free one), with its key in {@code keyFile}. */
    public List<String> launch(String host, int port, Path keyFile) {
        List<String> command = new ArrayList<>(modelArguments.size() + 7);
        command.add(binary.toString());
        command.addAll(modelArguments);
        command.addAll(List.of("--host", host, "--port", Integer.toString(port), "--api-key-file", keyFile.toString()));
        return command;
    }
}
