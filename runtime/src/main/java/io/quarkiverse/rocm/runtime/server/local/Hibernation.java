package io.quarkiverse.rocm.runtime.server.local;

import java.util.Optional;
import java.util.concurrent.Executor;

import io.quarkiverse.rocm.runtime.hibernation.Hibernator;
import io.quarkiverse.rocm.runtime.server.Endpoint;
import io.quarkiverse.rocm.runtime.spec.LocalSpec;

/**
 * A local server's side of {@code kv-cache.hibernate}: the save folder before each launch, the restore of the saved
 * prompt caches before the server is ready (off the supervisor's timer), their save before a planned stop. Does
 * nothing for a model without it.
 */
final class Hibernation {

    private final Optional<Hibernator> hibernator;
    private final int slots;
    private final Executor executor;

    Hibernation(LocalSpec spec, Executor executor) {
        this.hibernator = spec.slotCaches().map(c -> new Hibernator(c, spec.displayName(), spec.parallel()));
        this.slots = spec.parallel();
        this.executor = executor;
    }

    Optional<Hibernator> hibernator() {
        return hibernator;
    }

    /** Why the server cannot be launched (its save folder cannot be made), or empty. */
    Optional<String> prepare() {
        return hibernator.flatMap(Hibernator::prepare);
    }

    /** Restores the saved caches into the server at {@code at}, then runs {@code ready}. */
    void restoreThen(Endpoint at, Runnable ready) {
        if (hibernator.isEmpty()) {
            ready.run();
            return;
        }
        executor.execute(() -> {
            hibernator.get().restore(at, slots);
            ready.run();
        });
    }

    /** Saves the caches of the server at {@code served}, which no request reaches any more, before it is stopped. */
    void save(Endpoint served) {
        hibernator.ifPresent(h -> h.save(served, slots));
    }
}
