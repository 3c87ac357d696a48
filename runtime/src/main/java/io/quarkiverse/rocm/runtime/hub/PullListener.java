package io.quarkiverse.rocm.runtime.hub;

import java.time.Duration;

/** Told how each pull ended (metrics). Called on the pull's thread; must not block. */
public interface PullListener {

    /** How a pull ended. */
    enum Outcome {
        /** Files were downloaded. */
        DOWNLOADED,
        /** The cache held them (nothing downloaded). */
        CACHED,
        /** It failed. */
        FAILED,
        /** It was stopped. */
        CANCELLED;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    void ended(String model, Outcome outcome, Duration took);
}
