package io.quarkiverse.rocm.deployment.scheduling;

import static io.quarkiverse.rocm.deployment.scheduling.SchedulingModels.reply;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/**
 * Load that forces swaps: two models, {@code max-loaded=1}, 16 clients streaming, each alternating between them, for
 * {@code rocm.test.swap-seconds} (default 60). Every request ends with its model's full answer or a clear error; none
 * hangs; swaps come in batches (at most one per fairness window of requests); nothing is left running.
 */
public class SwapStressTest {

    static final int SECONDS = Integer.getInteger("rocm.test.swap-seconds", 60);
    static final int FAIRNESS = 4;
    /** Shared through a system property: the assertion below runs in JUnit's class loader, the test in Quarkus'. */
    static final String REQUESTS = "rocm.test.swap-requests";

    @RegisterExtension
    static final QuarkusUnitTest app = SchedulingModels.app("alpha", "bravo")
            .overrideConfigKey("quarkus.rocm.alpha.context-size", "512")
            .overrideConfigKey("quarkus.rocm.bravo.context-size", "512")
            .overrideConfigKey("quarkus.rocm.max-loaded", "1")
            .overrideConfigKey("quarkus.rocm.swap-fairness", Integer.toString(FAIRNESS))
            .overrideConfigKey("quarkus.rocm.alpha.max-queue", "64")
            .overrideConfigKey("quarkus.rocm.bravo.max-queue", "64")
            .setLogRecordPredicate(r -> r.getLevel().intValue() >= Level.INFO.intValue()
                    && r.getLoggerName().contains("Scheduler") && r.getMessage().startsWith("Loading model"))
            .assertLogRecords(loads -> {
                int requests = Integer.getInteger(REQUESTS, -1);
                assertThat(requests).as("requests made").isPositive();
                assertThat(loads.size()).as("loads for %d requests", requests).isLessThanOrEqualTo(requests / FAIRNESS + 2);
            })
            .setAfterUndeployListener(() -> assertThat(SchedulingModels.running()).as("nothing left running").isEmpty());

    @Test
    void everyRequestEndsAndSwapsComeInBatches() throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(SECONDS).toNanos();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        AtomicInteger served = new AtomicInteger(), refused = new AtomicInteger(), requests = new AtomicInteger();
        List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int c = 0; c < 16; c++) {
                int first = c;
                all.add(clients.submit(() -> {
                    for (int i = first; System.nanoTime() < end; i++) {
                        String model = i % 2 == 0 ? "alpha" : "bravo";
                        requests.incrementAndGet();
                        Api.Streamed s = Api.stream(model, 0);
                        if (s.status() == 200 && s.done() && s.error() == null && s.text().equals(reply(model))) {
                            served.incrementAndGet();
                        } else if (s.status() != 200 && s.error() != null && !s.error().isBlank()) {
                            refused.incrementAndGet(); // a clear error (a full queue, say) is an answer too
                        } else {
                            wrong.add(model + ": " + s);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get(SECONDS + 120, TimeUnit.SECONDS); // a hang fails here
            }
        } finally {
            clients.shutdownNow();
        }
        System.setProperty(REQUESTS, Integer.toString(requests.get()));
        assertThat(wrong).as("requests that ended with neither a full answer nor a clear error").isEmpty();
        assertThat(served.get()).as("served (refused: %d)", refused.get()).isPositive();
    }
}
