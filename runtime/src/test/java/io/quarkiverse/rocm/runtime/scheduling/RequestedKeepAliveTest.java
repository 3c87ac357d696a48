package io.quarkiverse.rocm.runtime.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

/** A request's own keep-alive (Ollama's {@code keep_alive}): from its end until a request asks otherwise. */
class RequestedKeepAliveTest extends SchedulerHarness {

    @Test
    void theLastRequestsKeepAliveDecides_aRequestAskingNothingBringsBackTheConfiguredOne() throws Exception {
        Scheduler s = scheduler(Limits.NONE);
        FakeModel a = model(s, "a", 10, new Policy(Duration.ofMinutes(5), false));
        lease(s.acquire("a", new KeepAlive(Duration.ofHours(1)))).release();
        assertThat(s.unloadAt("a")).isEqualTo(now + Duration.ofHours(1).toNanos());
        advance(Duration.ofMinutes(30));
        assertThat(a.unloads).as("its request asked for an hour, not the configured 5 min").isZero();

        lease(s.acquire("a")).release();
        assertThat(s.unloadAt("a")).as("asked nothing: configured again").isEqualTo(now + Duration.ofMinutes(5).toNanos());

        lease(s.acquire("a", KeepAlive.FOREVER)).release();
        assertThat(s.unloadAt("a")).as("no idle unload").isEqualTo(-1);
        advance(Duration.ofDays(2));
        assertThat(a.unloads).isZero();

        lease(s.acquire("a", new KeepAlive(Duration.ZERO))).release();
        advance(Duration.ZERO);
        assertThat(a.unloads).as("0: unloaded as soon as idle").isEqualTo(1);
        assertThat(unloadReasons).containsExactly("a:IDLE");
    }

    @Test
    void aCancelledIdleTimerWhoseTaskRunsLateUnloadsNothing() throws Exception {
        // a real timer cannot take back a task already due when it is cancelled: this one never does
        List<Runnable> due = new ArrayList<>();
        Scheduler s = new Scheduler(Limits.NONE, () -> now, (task, delay) -> {
            due.add(task);
            return () -> {
            };
        }, executor);
        FakeModel a = model(s, "a", 10, new Policy(Duration.ofHours(1), false));
        lease(s.acquire("a", new KeepAlive(Duration.ZERO))).release(); // its idle timer is due at once
        lease(s.acquire("a")).release(); // taken again before that timer ran, then idle for the configured hour
        due.forEach(Runnable::run); // the stale task runs late, then the current one (as if the hour had passed)
        runTasks();
        assertThat(a.unloads).as("only the current timer unloads").isEqualTo(1);
        a.unloads = 0;
        lease(s.acquire("a", new KeepAlive(Duration.ZERO))).release();
        lease(s.acquire("a")).release();
        due.get(due.size() - 2).run(); // only the stale one
        runTasks();
        assertThat(a.unloads).as("the stale timer's task").isZero();
        assertThat(s.unloadAt("a")).as("the configured hour").isEqualTo(now + Duration.ofHours(1).toNanos());
    }

    @Test
    void aBusyModelAskedToUnloadFinishesItsRequestsFirst_anUnloadedOneIsNotLoadedToBeUnloaded() throws Exception {
        Scheduler s = scheduler(Limits.NONE);
        FakeModel a = model(s, "a", 10, Policy.FOREVER);
        FakeModel b = model(s, "b", 10, Policy.FOREVER);
        Lease busy = lease(s.acquire("a"));
        CompletableFuture<Void> asked = s.keepAlive("a", new KeepAlive(Duration.ZERO));
        runTasks();
        assertThat(asked).isDone();
        assertThat(a.unloads).as("serving a request: not cut").isZero();
        busy.release();
        advance(Duration.ZERO);
        assertThat(a.unloads).as("unloaded when its request ended").isEqualTo(1);

        CompletableFuture<Void> idle = s.keepAlive("b", new KeepAlive(Duration.ZERO));
        runTasks();
        assertThat(idle).isDone();
        assertThat(b.loads).as("not loaded only to be unloaded").isZero();
        assertThat(s.status("b")).isEqualTo(Scheduler.Status.UNLOADED);

        CompletableFuture<Void> loaded = s.load("b", new KeepAlive(Duration.ofSeconds(30)));
        runTasks();
        assertThat(loaded).isDone();
        assertThat(s.unloadAt("b")).as("a load keeps the keep-alive it asked for").isEqualTo(now
                + Duration.ofSeconds(30).toNanos());
        CompletableFuture<Void> unloading = s.keepAlive("b", new KeepAlive(Duration.ZERO));
        assertThat(unloading).as("completes once unloaded").isNotDone();
        runTasks();
        assertThat(unloading).isDone();
        assertThat(b.unloads).isEqualTo(1);
    }

    @Test
    void aPinnedModelStaysWhateverARequestAsks() throws Exception {
        Scheduler s = scheduler(Limits.NONE);
        FakeModel pinned = model(s, "p", 10, new Policy(null, true));
        lease(s.acquire("p", new KeepAlive(Duration.ZERO))).release();
        s.keepAlive("p", new KeepAlive(Duration.ZERO));
        advance(Duration.ofHours(1));
        assertThat(pinned.unloads).isZero();
        assertThat(s.status("p")).isEqualTo(Scheduler.Status.LOADED);
    }
}
