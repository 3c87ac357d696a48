package io.quarkiverse.rocm.runtime.process;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

/**
 * The last lines a model's llama-servers wrote, across restarts (each process's own tail is in
 * {@link LlamaServerProcess}): what the Dev UI's log page shows, and follows through its listeners.
 */
public final class OutputLog {

    private static final Logger LOG = Logger.getLogger(OutputLog.class);

    /** The output of a server that has no process here (remote replicas): always empty. */
    public static final OutputLog NONE = new OutputLog(0);

    private final int capacity;
    private final ArrayDeque<String> lines;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    public OutputLog(int capacity) {
        this.capacity = capacity;
        this.lines = new ArrayDeque<>(capacity);
    }

    public void append(String line) {
        synchronized (lines) {
            if (lines.size() == capacity) {
                lines.removeFirst();
            }
            lines.addLast(line);
        }
        for (Consumer<String> l : listeners) {
            try {
                l.accept(line);
            } catch (RuntimeException e) {
                LOG.debugf(e, "An output listener failed");
            }
        }
    }

    /** The kept lines, oldest first. */
    public List<String> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    /** Called with every new line, on the thread that reads the process's output: must not block. */
    public void addListener(Consumer<String> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<String> listener) {
        listeners.remove(listener);
    }
}
