package io.quarkiverse.rocm.runtime.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * What the scheduler's tests share: fake models, a fake clock and timer, and an executor the test runs by hand, so
 * every step is observed.
 */
abstract class SchedulerHarness {

    /** A model whose loads the test completes (or that complete at once). */
    static final class FakeModel implements Model {
        final String name;
        final long bytes;
        boolean autoComplete = true;
        int loads, unloads;
        boolean up;
        CompletableFuture<Void> pending;
        final List<String> events;

        FakeModel(String name, long bytes, List<String> events) {
            this.name = name;
            this.bytes = bytes;
            this.events = events;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public CompletableFuture<?> load() {
            loads++;
            events.add("load " + name);
            pending = new CompletableFuture<>();
            pending.thenRun(() -> up = true);
            if (autoComplete) {
                pending.complete(null);
            }
            return pending;
        }

        @Override
        public void unload() {
            unloads++;
            up = false;
            events.add("unload " + name);
            if (pending != null && !pending.isDone()) {
                pending.completeExceptionally(new IllegalStateException("stopped"));
            }
        }

        @Override
        public boolean loaded() {
            return up;
        }

        @Override
        public long bytes() {
            return bytes;
        }
    }

    final List<String> events = new ArrayList<>();
    final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    final Executor executor = tasks::add;
    long now;
    final Map<Runnable, Long> timers = new HashMap<>();
    final Timer timer = (task, delay) -> {
        timers.put(task, now + delay.toNanos());
        return () -> timers.remove(task);
    };
    final List<String> unloadReasons = new ArrayList<>();

    Scheduler scheduler(Limits limits) {
        Scheduler s = new Scheduler(limits, () -> now, timer, executor);
        s.addListener(new LoadListener() {
            @Override
            public void unloaded(String model, UnloadReason reason) {
                unloadReasons.add(model + ":" + reason);
            }
        });
        return s;
    }

    FakeModel model(Scheduler s, String name, long bytes, Policy policy) {
        FakeModel m = new FakeModel(name, bytes, events);
        s.add(m, policy, false);
        return m;
    }

    /** Runs what the executor was given, and what that gave it, until nothing is left. */
    void runTasks() {
        while (!tasks.isEmpty()) {
            tasks.poll().run();
        }
    }

    void advance(Duration d) {
        now += d.toNanos();
        for (Map.Entry<Runnable, Long> t : new HashMap<>(timers).entrySet()) {
            if (t.getValue() <= now && timers.remove(t.getKey()) != null) {
                t.getKey().run();
            }
        }
        runTasks();
    }

    Lease lease(CompletableFuture<Lease> f) throws Exception {
        runTasks();
        assertThat(f).as("granted").isDone();
        return f.get();
    }

}
