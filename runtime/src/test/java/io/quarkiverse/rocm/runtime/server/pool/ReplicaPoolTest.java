package io.quarkiverse.rocm.runtime.server.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkiverse.rocm.runtime.config.ModelConfig.Balance;
import io.quarkiverse.rocm.runtime.server.BalanceChoice;
import io.quarkiverse.rocm.runtime.spec.PoolSpec;
import io.quarkiverse.rocm.runtime.spec.ServerSpec;
import io.quarkus.runtime.configuration.ConfigurationException;

/** The balancer's choices among replicas in rotation (no probes: the test puts replicas in and out itself). */
class ReplicaPoolTest {

    static final String SYSTEM = "{\"role\":\"system\",\"content\":\"You are terse.\"}";
    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    final AtomicInteger changes = new AtomicInteger();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    ReplicaPool pool(Balance balance, int slack) {
        PoolSpec spec = PoolSpec.parse("quarkus.rocm.urls", List.of("http://a:8080", "http://b:8080", "http://c:8080"),
                null, balance, slack, "quarkus.rocm.affinity-slack");
        ReplicaPool pool = new ReplicaPool("m", spec, Duration.ofSeconds(1), Duration.ofSeconds(1),
                new ServerSpec.RestartPolicy(true, 3, Duration.ofMillis(100), Duration.ofSeconds(1)), timer,
                Runnable::run, changes::incrementAndGet);
        pool.replicas().forEach(r -> r.inRotation = true);
        return pool;
    }

    static byte[] chat(String... messages) {
        return ("{\"messages\":[" + String.join(",", messages) + "]}").getBytes(StandardCharsets.UTF_8);
    }

    static String user(String text) {
        return "{\"role\":\"user\",\"content\":\"" + text + "\"}";
    }

    static String assistant(String text) {
        return "{\"role\":\"assistant\",\"content\":\"" + text + "\"}";
    }

    @Test
    void aConversationAndItsSystemPromptReturnToTheReplicaThatHasThem() {
        ReplicaPool pool = pool(Balance.PREFIX_AFFINITY, 2);
        Replica home = pool.choose(chat(SYSTEM, user("q1")));
        pool.release(home);
        // the next turn repeats the first, and adds the answer and a question
        Replica next = pool.choose(chat(SYSTEM, user("q1"), assistant("a1"), user("q2")));
        assertThat(next).isSameAs(home);
        Replica other = pool.choose(chat(SYSTEM, user("something else")));
        assertThat(other).as("same system prompt").isSameAs(home);
        assertThat(pool.choices(BalanceChoice.AFFINITY)).isEqualTo(2);
        assertThat(pool.choices(BalanceChoice.NO_AFFINITY)).isEqualTo(1);
        assertThat(home.inFlight()).isEqualTo(2);
    }

    @Test
    void aReplicaMuchBusierThanTheRestLosesItsAffinity() {
        ReplicaPool pool = pool(Balance.PREFIX_AFFINITY, 1);
        Replica home = pool.choose(chat(SYSTEM, user("q")));
        Replica second = pool.choose(chat(SYSTEM, user("q")));
        assertThat(second).as("one more than the idle ones is within the slack").isSameAs(home);
        Replica third = pool.choose(chat(SYSTEM, user("q")));
        assertThat(third).as("two more is not").isNotSameAs(home);
        assertThat(pool.choices(BalanceChoice.TOO_BUSY)).isEqualTo(1);
        // the prefix now lives where it went last
        pool.release(home);
        pool.release(home);
        assertThat(pool.choose(chat(SYSTEM, user("again")))).isSameAs(third);
    }

    @Test
    void leastLoadedCountsEveryonesBusySlotsAndSpreadsAnIdlePool() {
        ReplicaPool pool = pool(Balance.LEAST_LOADED, 2);
        List<Replica> r = pool.replicas();
        r.get(0).busySlots = 3; // other clients keep it busy
        r.get(1).inFlight.set(1);
        assertThat(pool.choose(chat(user("x")))).isSameAs(r.get(2));
        pool.release(r.get(2));
        r.get(0).busySlots = 0;
        r.get(1).inFlight.set(0);
        Set<Replica> seen = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            Replica c = pool.choose(null);
            seen.add(c);
            pool.release(c);
        }
        assertThat(seen).as("idle replicas are taken in turn").hasSize(3);
    }

    @Test
    void roundRobinTakesThemInTurn() {
        ReplicaPool pool = pool(Balance.ROUND_ROBIN, 2);
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            order.add(pool.choose(chat(SYSTEM, user("q"))).url());
        }
        assertThat(order).containsExactly("http://a:8080", "http://b:8080", "http://c:8080", "http://a:8080",
                "http://b:8080", "http://c:8080");
    }

    @Test
    void aFailedReplicaLeavesTheRotationAndItsPrefixesAreForgotten() {
        ReplicaPool pool = pool(Balance.PREFIX_AFFINITY, 2);
        Replica home = pool.choose(chat(SYSTEM, user("q")));
        pool.release(home);
        pool.failed(home, "connection refused");
        assertThat(home.inRotation()).isFalse();
        assertThat(home.problem()).isEqualTo("connection refused");
        assertThat(home.ejections()).isEqualTo(1);
        assertThat(changes).hasValue(1);
        pool.failed(home, "again"); // already out: no second ejection
        assertThat(home.ejections()).isEqualTo(1);
        assertThat(changes).hasValue(1);
        for (int i = 0; i < 10; i++) {
            Replica c = pool.choose(chat(SYSTEM, user("q")));
            assertThat(c).isNotSameAs(home);
            pool.release(c);
        }
        assertThat(pool.problems()).as("the first reason stays").isEqualTo(home.url() + ": connection refused");
        pool.replicas().forEach(r -> r.inRotation = false);
        assertThat(pool.choose(chat(user("q")))).as("none in rotation").isNull();
    }

    @Test
    void prefixesAreTheConversationUpToEachMessageOrPromptBlocks() {
        long[] one = io.quarkiverse.rocm.runtime.server.Prefixes.of(chat(SYSTEM, user("q1")));
        long[] two = io.quarkiverse.rocm.runtime.server.Prefixes.of(chat(SYSTEM, user("q1"), assistant("a"), user("q2")));
        assertThat(one).hasSize(2);
        assertThat(two).hasSize(4).startsWith(one);
        long[] withTools = io.quarkiverse.rocm.runtime.server.Prefixes
                .of(("{\"tools\":[{\"type\":\"function\"}],\"messages\":[" + SYSTEM
                        + "]}").getBytes(StandardCharsets.UTF_8));
        assertThat(withTools[0]).as("tools are part of the prefix").isNotEqualTo(one[0]);
        assertThat(io.quarkiverse.rocm.runtime.server.Prefixes
                .of(("{\"prompt\":\"" + "x".repeat(600) + "\"}").getBytes(StandardCharsets.UTF_8)))
                .as("two whole 256-character blocks").hasSize(2);
        assertThat(io.quarkiverse.rocm.runtime.server.Prefixes.of("not json".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(io.quarkiverse.rocm.runtime.server.Prefixes.of("{\"input\":\"embed me\"}".getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
    }

    @Test
    void badUrlsAreNamed() {
        for (String bad : List.of("gpu-a:8080", "ftp://gpu-a", "http://", "http://gpu-a:8080/?x=1")) {
            assertThatThrownBy(() -> PoolSpec.parse("quarkus.rocm.big.urls", List.of(bad), null, Balance.LEAST_LOADED,
                    2, "quarkus.rocm.big.affinity-slack")).as(bad).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("quarkus.rocm.big.urls has '" + bad + "'")
                    .hasMessageContaining("http://host:port");
        }
        assertThatThrownBy(() -> PoolSpec.parse("quarkus.rocm.urls", List.of("http://a:1", "http://a:1/"), null,
                Balance.LEAST_LOADED, 2, "x")).hasMessageContaining("lists http://a:1 twice");
        assertThatThrownBy(() -> PoolSpec.parse("quarkus.rocm.urls", List.of("http://a:1"), null,
                Balance.LEAST_LOADED, -1, "quarkus.rocm.affinity-slack"))
                .hasMessageContaining("quarkus.rocm.affinity-slack=-1 must be 0 or more");
    }
}
