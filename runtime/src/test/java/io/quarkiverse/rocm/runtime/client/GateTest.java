package io.quarkiverse.rocm.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

/** The gate's line: fair between callers, in order within one, bounded overall and, optionally, per caller. */
class GateTest {

    /** Who got each place, in the order the places were given. */
    private static final class Served {
        final List<String> order = new ArrayList<>();
        final List<Gate.Permit> held = new ArrayList<>();

        void waitFor(CompletableFuture<Gate.Permit> f, String label) {
            f.thenAccept(p -> {
                order.add(label);
                held.add(p);
            });
        }

        /** Ends the oldest request still held, freeing its place. */
        void endOne() {
            held.remove(0).release();
        }
    }

    @Test
    void aSecondCallerIsServedNextNotAfterTheBacklog() {
        Gate gate = new Gate(1, 100);
        Served served = new Served();
        for (int i = 0; i < 31; i++) {
            served.waitFor(gate.acquire("batch"), "batch-" + i);
        }
        assertThat(served.order).containsExactly("batch-0");
        assertThat(gate.queued()).isEqualTo(30);
        served.waitFor(gate.acquire("chat"), "chat-0");

        served.endOne();
        assertThat(served.order).containsExactly("batch-0", "batch-1");
        served.endOne();
        // after one turn of the batch (its request was waiting first), the chat's only request
        assertThat(served.order).containsExactly("batch-0", "batch-1", "chat-0");
        while (!served.held.isEmpty()) {
            served.endOne();
        }
        assertThat(served.order).hasSize(32);
        // nothing reordered within one caller
        List<String> batch = served.order.stream().filter(s -> s.startsWith("batch-")).toList();
        for (int i = 0; i < batch.size(); i++) {
            assertThat(batch.get(i)).isEqualTo("batch-" + i);
        }
        assertThat(gate.inFlight()).isZero();
        assertThat(gate.queued()).isZero();
        assertThat(gate.callers()).isZero();
    }

    @Test
    void callersTakeTurnsRoundRobin() {
        Gate gate = new Gate(1, 100);
        Served served = new Served();
        served.waitFor(gate.acquire("a"), "a0");
        for (int i = 1; i <= 3; i++) {
            served.waitFor(gate.acquire("a"), "a" + i);
        }
        for (int i = 0; i < 3; i++) {
            served.waitFor(gate.acquire("b"), "b" + i);
        }
        served.waitFor(gate.acquire("c"), "c0");
        while (!served.held.isEmpty()) {
            served.endOne();
        }
        assertThat(served.order).containsExactly("a0", "a1", "b0", "c0", "a2", "b1", "a3", "b2");
    }

    @Test
    void aCallerWhoGaveUpLeavesTheLine() {
        Gate gate = new Gate(1, 100);
        Served served = new Served();
        served.waitFor(gate.acquire("a"), "a0");
        CompletableFuture<Gate.Permit> gaveUp = gate.acquire("b");
        served.waitFor(gate.acquire("c"), "c0");
        gaveUp.cancel(false);
        assertThat(gate.queued()).isEqualTo(1);
        served.endOne();
        assertThat(served.order).containsExactly("a0", "c0");
        served.endOne();
        assertThat(gate.inFlight()).isZero();
        assertThat(gate.callers()).isZero();
    }

    @Test
    void theQueueIsBounded() {
        Gate gate = new Gate(1, 2);
        gate.acquire("a");
        gate.acquire("a");
        gate.acquire("b");
        assertThatThrownBy(() -> gate.acquire("c")).isInstanceOfSatisfying(Gate.Refused.class, r -> {
            assertThat(r.reason()).isEqualTo(Gate.Reason.QUEUE_FULL);
            assertThat(r.inFlight()).isEqualTo(1);
            assertThat(r.queued()).isEqualTo(2);
        });
        assertThat(gate.callers()).isEqualTo(2);
    }

    @Test
    void perCallerLimitsKeepRoomForOthers() {
        Gate gate = new Gate(4, 100, 2, 3);
        Served served = new Served();
        for (int i = 0; i < 5; i++) {
            served.waitFor(gate.acquire("batch"), "batch-" + i);
        }
        // two at llama-server, three waiting: its limits
        assertThat(served.order).containsExactly("batch-0", "batch-1");
        assertThat(gate.inFlight()).isEqualTo(2);
        assertThatThrownBy(() -> gate.acquire("batch")).isInstanceOfSatisfying(Gate.Refused.class,
                r -> assertThat(r.reason()).isEqualTo(Gate.Reason.CALLER_QUEUE_FULL));
        // the places the batch may not take are another caller's at once
        served.waitFor(gate.acquire("chat"), "chat-0");
        served.waitFor(gate.acquire("chat"), "chat-1");
        assertThat(served.order).containsExactly("batch-0", "batch-1", "chat-0", "chat-1");
        // a chat request ends: the batch is at its limit, so the place stays free for the next caller
        served.held.remove(2).release();
        assertThat(gate.inFlight()).isEqualTo(3);
        assertThat(served.order).hasSize(4);
        // a batch request ends: the next batch request takes its place
        served.endOne();
        assertThat(served.order).containsExactly("batch-0", "batch-1", "chat-0", "chat-1", "batch-2");
    }
}
