package io.quarkiverse.rocm.runtime.scheduling;

import java.util.List;

/**
 * A place at a loaded model, for one request, from the {@link Scheduler}; release it exactly once when the request
 * ends. The request's {@link KeepAlive} (null: the model's configured one) applies from then on, unless a request
 * granted later (or {@link Scheduler#keepAlive}) asked since: as in Ollama, the latest ask decides.
 */
public final class Lease {

    private final Object lock;
    private final Residency residency;
    private final Entry entry;
    private final KeepAlive keepAlive;
    private final long ask;
    private boolean released;

    /** @param ask the keep-alive's place among what was asked of the model: the latest ask decides */
    Lease(Object lock, Residency residency, Entry entry, KeepAlive keepAlive, long ask) {
        this.ask = ask;
        this.lock = lock;
        this.residency = residency;
        this.entry = entry;
        this.keepAlive = keepAlive;
    }

    public void release() {
        List<Runnable> after;
        synchronized (lock) {
            if (released) {
                return;
            }
            released = true;
            after = residency.released(entry, keepAlive, ask);
        }
        after.forEach(Runnable::run);
    }
}
