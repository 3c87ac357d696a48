package io.quarkiverse.rocm.runtime.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

/** The scheduler's decisions without processes ({@link SchedulerHarness}), every step observed. */
class SchedulerTest extends SchedulerHarness {

    @Test
    void anIdleModelIsUnloadedAfterItsKeepAliveAndLoadedAgainOnTheNextRequest() throws Exception {
        Scheduler s = scheduler(Limits.NONE);
        FakeModel a = model(s, "a", 10, new Policy(Duration.ofMinutes(5), false));
        assertThat(s.status("a")).isEqualTo(Scheduler.Status.UNLOADED);
        Lease l = lease(s.acquire("a"));
        assertThat(s.status("a")).isEqualTo(Scheduler.Status.LOADED);
        assertThat(s.unloadAt("a")).as("no unload while busy").isEqualTo(-1);
        advance(Duration.ofMinutes(10));
        assertThat(a.unloads).as("busy: kept however long").isZero();
        l.release();
        assertThat(s.unloadAt("a")).isEqualTo(now + Duration.ofMinutes(5).toNanos());
        advance(Duration.ofMinutes(4));
        assertThat(a.unloads).isZero();
        lease(s.acquire("a")).release(); // used again: the keep-alive starts over
        advance(Duration.ofMinutes(4));
        assertThat(a.unloads).isZero();
        advance(Duration.ofMinutes(1));
        assertThat(a.unloads).isEqualTo(1);
        assertThat(unloadReasons).containsExactly("a:IDLE");
        assertThat(s.status("a")).isEqualTo(Scheduler.Status.UNLOADED);
        lease(s.acquire("a")).release();
        assertThat(a.loads).isEqualTo(2);
        assertThat(s.loads("a")).as("what the metrics read, however late they come").isEqualTo(2);
        assertThat(s.unloads("a", UnloadReason.IDLE)).isEqualTo(1);
        assertThat(s.unloads("a", UnloadReason.EVICTED)).isZero();
    }

    @Test
    void aKeepAliveOfZeroUnloadsAsSoonAsIdleAndForeverNever() throws Exception {
        Scheduler s = scheduler(Limits.NONE);
        FakeModel zero = model(s, "zero", 10, new Policy(Duration.ZERO, false));
        FakeModel forever = model(s, "forever", 10, Policy.FOREVER);
        lease(s.acquire("zero")).release();
        lease(s.acquire("forever")).release();
        advance(Duration.ZERO);
        assertThat(zero.unloads).isEqualTo(1);
        advance(Duration.ofDays(365));
        assertThat(forever.unloads).isZero();
    }

    @Test
    void underMaxLoadedTheLeastRecentlyUsedIdleModelMakesRoom() throws Exception {
        Scheduler s = scheduler(new Limits(2, 0, 0));
        FakeModel a = model(s, "a", 10, Policy.FOREVER);
        FakeModel b = model(s, "b", 10, Policy.FOREVER);
        FakeModel c = model(s, "c", 10, Policy.FOREVER);
        lease(s.acquire("a")).release();
        advance(Duration.ofSeconds(1));
        lease(s.acquire("b")).release();
        advance(Duration.ofSeconds(1));
        lease(s.acquire("a")).release(); // a is now the more recently used
        advance(Duration.ofSeconds(1));
        lease(s.acquire("c")).release();
        assertThat(b.unloads).as("b was used least recently").isEqualTo(1);
        assertThat(a.unloads).isZero();
        assertThat(unloadReasons).containsExactly("b:EVICTED");
        assertThat(s.loadedCount()).isEqualTo(2);
        assertThat(events).containsSubsequence("unload b", "load c");
    }

    @Test
    void aBusyModelIsNeverEvicted_theLoadWaitsForItToDrain() throws Exception {
        Scheduler s = scheduler(new Limits(1, 0, 0));
        FakeModel a = model(s, "a", 10, Policy.FOREVER);
        FakeModel b = model(s, "b", 10, Policy.FOREVER);
        Lease streaming = lease(s.acquire("a"));
        CompletableFuture<Lease> forB = s.acquire("b");
        runTasks();
        assertThat(forB).as("waits while a streams").isNotDone();
        assertThat(a.unloads).isZero();
        assertThat(b.loads).isZero();
        streaming.release();
        runTasks();
        assertThat(a.unloads).isEqualTo(1);
        assertThat(forB).isDone();
        assertThat(events).containsExactly("load a", "unload a", "load b");
        forB.get().release();
    }

    @Test
    void aPinnedModelIsNeverEvicted() throws Exception {
        Scheduler s = scheduler(new Limits(1, 0, 0));
        FakeModel pinned = model(s, "pinned", 10, new Policy(Duration.ZERO, true));
        model(s, "other", 10, Policy.FOREVER);
        lease(s.acquire("pinned")).release();
        advance(Duration.ofHours(1));
        assertThat(pinned.unloads).as("not even when idle with keep-alive 0").isZero();
        CompletableFuture<Lease> other = s.acquire("other");
        runTasks();
        assertThatThrownBy(other::get).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("model 'other' cannot be loaded: quarkus.rocm.max-loaded=1")
                .hasMessageContaining("the pinned models ['pinned'] hold every place");
        assertThat(pinned.unloads).isZero();
    }

    @Test
    void requestsForALoadingModelJoinItsLoad() throws Exception {
        Scheduler s = scheduler(Limits.NONE);
        FakeModel a = model(s, "a", 10, Policy.FOREVER);
        a.autoComplete = false;
        List<CompletableFuture<Lease>> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            all.add(s.acquire("a"));
        }
        runTasks();
        assertThat(a.loads).as("one server for five requests").isEqualTo(1);
        assertThat(s.status("a")).isEqualTo(Scheduler.Status.LOADING);
        assertThat(all).allSatisfy(f -> assertThat(f).isNotDone());
        assertThat(s.loads("a")).as("counted once it is done").isZero();
        now += Duration.ofSeconds(3).toNanos(); // the load takes 3 s
        a.pending.complete(null);
        runTasks();
        assertThat(all).allSatisfy(f -> assertThat(f).isDone());
        assertThat(s.loads("a")).isEqualTo(1);
        assertThat(s.loadNanos("a")).isEqualTo(Duration.ofSeconds(3).toNanos());
        for (CompletableFuture<Lease> f : all) {
            f.get().release();
        }
        assertThat(a.loads).isEqualTo(1);
    }

    @Test
    void aLoadNobodyWaitsForAnyMoreFinishes_thenFollowsItsKeepAlive() throws Exception {
        Scheduler s = scheduler(Limits.NONE);
        FakeModel a = model(s, "a", 10, new Policy(Duration.ofMinutes(5), false));
        a.autoComplete = false;
        CompletableFuture<Lease> request = s.acquire("a");
        runTasks();
        request.cancel(false);
        runTasks();
        assertThat(s.waiting()).isZero();
        assertThat(a.unloads).as("the load goes on").isZero();
        assertThat(s.status("a")).isEqualTo(Scheduler.Status.LOADING);
        a.pending.complete(null);
        runTasks();
        assertThat(s.status("a")).isEqualTo(Scheduler.Status.LOADED);
        assertThat(s.unloadAt("a")).as("its keep-alive runs").isEqualTo(now + Duration.ofMinutes(5).toNanos());
        advance(Duration.ofMinutes(5));
        runTasks();
        assertThat(unloadReasons).containsExactly("a:IDLE");
    }

    @Test
    void aRequestThatWaitsLongerThanItMayHasLeftTheLineWhenItHearsWhoHoldsTheRoom() throws Exception {
        Scheduler s = scheduler(new Limits(1, 0, 0));
        Lease held = aHoldsTheRoomOfB(s);
        CompletableFuture<Lease> waiting = s.acquire("b", null, Duration.ofSeconds(1));
        List<Integer> lineWhenFailed = new ArrayList<>();
        waiting.whenComplete((l, e) -> lineWhenFailed.add(s.waiting())); // as a caller's own stage sees it
        advance(Duration.ofMillis(999));
        assertThat(waiting).isNotDone();
        advance(Duration.ofMillis(1));
        assertThatThrownBy(waiting::get).hasCauseInstanceOf(WaitTimeoutException.class)
                .hasMessageContaining("model 'b' waits for room (quarkus.rocm.max-loaded=1)")
                .hasMessageContaining("'a' (serving 1)").hasMessageContaining("for longer than 1000 ms");
        assertThat(lineWhenFailed).as("it had left the line before its failure was seen").containsExactly(0);
        held.release();
        runTasks();
        assertThat(events).as("nobody asked for b any more").doesNotContain("load b");
        assertThat(timers).as("no timer is left behind").isEmpty();
    }

    @Test
    void aRequestGrantedInTimeLeavesNoTimer() throws Exception {
        Scheduler s = scheduler(new Limits(1, 0, 0));
        Lease held = aHoldsTheRoomOfB(s);
        CompletableFuture<Lease> waiting = s.acquire("b", null, Duration.ofSeconds(1));
        held.release();
        lease(waiting).release();
        assertThat(timers).isEmpty();
    }

    /** Models a and b under {@code max-loaded=1}, a serving one request: b waits for its room. */
    Lease aHoldsTheRoomOfB(Scheduler s) throws Exception {
        model(s, "a", 10, Policy.FOREVER);
        model(s, "b", 10, Policy.FOREVER);
        return lease(s.acquire("a"));
    }

    @Test
    void aCallerThatGivesUpLeavesTheLine_aLoadNobodyWaitsForIsCancelledWhenConfigured() throws Exception {
        Scheduler s = scheduler(new Limits(0, 0, 0, true));
        FakeModel a = model(s, "a", 10, Policy.FOREVER);
        a.autoComplete = false;
        CompletableFuture<Lease> first = s.acquire("a");
        CompletableFuture<Lease> second = s.acquire("a");
        runTasks();
        assertThat(s.waiting()).isEqualTo(2);
        first.cancel(false);
        runTasks();
        assertThat(s.waiting()).isEqualTo(1);
        assertThat(a.unloads).as("someone still waits").isZero();
        second.cancel(false);
        runTasks();
        assertThat(s.waiting()).isZero();
        assertThat(a.unloads).as("nobody waits: the load is cancelled").isEqualTo(1);
        assertThat(unloadReasons).containsExactly("a:CANCELLED");
        assertThat(s.status("a")).isEqualTo(Scheduler.Status.UNLOADED);
    }

    @Test
    void anOperatorsLoadIsNotCancelledWhenItsRequestsGiveUp() throws Exception {
        Scheduler s = scheduler(Limits.NONE);
        FakeModel a = model(s, "a", 10, Policy.FOREVER);
        a.autoComplete = false;
        CompletableFuture<Void> asked = s.load("a");
        CompletableFuture<Lease> request = s.acquire("a");
        runTasks();
        request.cancel(false);
        runTasks();
        assertThat(a.unloads).isZero();
        a.pending.complete(null);
        runTasks();
        assertThat(asked).isDone();
        assertThat(s.status("a")).isEqualTo(Scheduler.Status.LOADED);
    }

    @Test
    void alternatingTrafficSwapsOncePerFairnessWindow() throws Exception {
        int fairness = 4;
        Scheduler s = scheduler(new Limits(1, 0, fairness));
        model(s, "a", 10, Policy.FOREVER);
        model(s, "b", 10, Policy.FOREVER);
        Lease streaming = lease(s.acquire("a"));
        // b, a, b, a, ... while a streams: a takes `fairness` more requests, b's join one load
        List<CompletableFuture<Lease>> forA = new ArrayList<>(), forB = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            forB.add(s.acquire("b"));
            forA.add(s.acquire("a"));
        }
        runTasks();
        assertThat(forA.stream().filter(CompletableFuture::isDone).count()).as("a's requests served before the swap")
                .isEqualTo(fairness);
        assertThat(forB).allSatisfy(f -> assertThat(f).isNotDone());
        streaming.release();
        for (CompletableFuture<Lease> f : forA) {
            if (f.isDone()) {
                f.get().release();
            }
        }
        runTasks();
        assertThat(forB).as("every b request, after one swap").allSatisfy(f -> assertThat(f).isDone());
        assertThat(events.stream().filter(e -> e.startsWith("load")).count()).as("loads: a, then b").isEqualTo(2);
        for (CompletableFuture<Lease> f : forB) {
            f.get().release();
        }
        runTasks();
        assertThat(forA).as("a's later requests, after the swap back").allSatisfy(f -> assertThat(f).isDone());
        assertThat(events.stream().filter(e -> e.startsWith("load")).count()).isEqualTo(3);
    }

    @Test
    void theMemoryBudgetEvictsWhatItMustAndNamesAModelThatCanNeverFit() throws Exception {
        Scheduler s = scheduler(new Limits(0, 100L << 20, 0));
        FakeModel a = model(s, "a", 60L << 20, Policy.FOREVER);
        FakeModel b = model(s, "b", 30L << 20, Policy.FOREVER);
        FakeModel c = model(s, "c", 50L << 20, Policy.FOREVER);
        model(s, "huge", 150L << 20, Policy.FOREVER);
        lease(s.acquire("a")).release();
        advance(Duration.ofSeconds(1));
        lease(s.acquire("b")).release();
        assertThat(a.unloads + b.unloads).as("60 + 30 fit in 100").isZero();
        advance(Duration.ofSeconds(1));
        lease(s.acquire("c")).release();
        assertThat(a.unloads).as("a (least recently used) makes room for c").isEqualTo(1);
        assertThat(b.unloads).as("b + c = 80 fit").isZero();
        assertThat(c.loads).isEqualTo(1);
        CompletableFuture<Lease> huge = s.acquire("huge");
        runTasks();
        assertThatThrownBy(huge::get).hasMessageContaining("model 'huge' needs about 150 MiB but the memory budget is"
                + " 100 MiB (quarkus.rocm.memory-budget)");
        assertThat(b.unloads + c.unloads).as("nothing evicted for a model that cannot fit").isZero();
    }

    @Test
    void aFailedLoadFailsItsWaitersAndIsTriedAgainOnTheNextRequest() throws Exception {
        Scheduler s = scheduler(Limits.NONE);
        FakeModel a = model(s, "a", 10, Policy.FOREVER);
        a.autoComplete = false;
        CompletableFuture<Lease> one = s.acquire("a"), two = s.acquire("a");
        runTasks();
        a.pending.completeExceptionally(new IllegalStateException("llama-server exited with code 1"));
        runTasks();
        assertThatThrownBy(one::get).hasMessageContaining("exited with code 1");
        assertThatThrownBy(two::get).hasMessageContaining("exited with code 1");
        assertThat(s.status("a")).isEqualTo(Scheduler.Status.FAILED);
        a.autoComplete = true;
        lease(s.acquire("a")).release();
        assertThat(s.status("a")).isEqualTo(Scheduler.Status.LOADED);
    }

    @Test
    void anOperatorUnloadsAnIdleModelButNotABusyOne() throws Exception {
        Scheduler s = scheduler(Limits.NONE);
        FakeModel a = model(s, "a", 10, Policy.FOREVER);
        Lease busy = lease(s.acquire("a"));
        assertThat(s.unload("a")).isCompletedExceptionally();
        busy.release();
        CompletableFuture<Void> unload = s.unload("a");
        runTasks();
        assertThat(unload).isDone();
        assertThat(a.unloads).isEqualTo(1);
        assertThat(unloadReasons).containsExactly("a:OPERATOR");
    }

    @Test
    void aClosedSchedulerUnloadsNothingMore_aDevModeRestartKeepsItsServers() throws Exception {
        Scheduler s = scheduler(Limits.NONE);
        FakeModel a = model(s, "a", 10, new Policy(Duration.ofSeconds(1), false));
        lease(s.acquire("a")).release();
        s.close(); // the application restarts: the next start takes the server over
        advance(Duration.ofMinutes(1));
        assertThat(a.unloads).as("no idle unload of a server that is someone else's now").isZero();
        assertThatThrownBy(() -> s.acquire("a").get()).hasMessageContaining("the application is stopping");
    }
}
