package io.quarkiverse.rocm.runtime.hibernation;

import static io.quarkiverse.rocm.runtime.TestSupport.tinySpec;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkiverse.rocm.runtime.json.Json;
import io.quarkiverse.rocm.runtime.server.Endpoint;
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.ServerProbe;
import io.quarkiverse.rocm.runtime.server.local.LocalServer;

/**
 * {@code kv-cache.hibernate} against real llama-servers: a stop saves the slots' prompt caches, the next start restores
 * them before it is ready, and the next turn finds its prefix cached; a cache saved for another start of the model,
 * or one llama-server cannot read, is skipped and deleted, and the server starts all the same.
 */
class HibernatorTest {

    /** About 1,350 tokens of the tiny model's vocabulary: a long system prompt. */
    static final String PROMPT = "The quick brown fox jumps over the lazy dog. ".repeat(30);

    @TempDir
    Path dir;
    final List<ModelServer> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(ModelServer::stop);
    }

    LocalServer server(String contextSize) {
        LocalServer s = new LocalServer(tinySpec("quarkus.rocm.kv-cache.hibernate", "true",
                "quarkus.rocm.hibernation.dir", dir.toString(), "quarkus.rocm.parallel", "2",
                "quarkus.rocm.context-size", contextSize));
        started.add(s);
        return s;
    }

    static Endpoint start(ModelServer s) throws Exception {
        return s.start().get(60, TimeUnit.SECONDS);
    }

    /** {@code timings} of a 4-token completion of {@code prompt}. */
    static JsonNode complete(Endpoint at, String prompt) throws IOException {
        ServerProbe.Answer a = ServerProbe.post(at, "/completion", Json.MAPPER.createObjectNode().put("prompt", prompt)
                .put("n_predict", 4).toString(), Duration.ofSeconds(30));
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        return Json.MAPPER.readTree(a.body()).path("timings");
    }

    @Test
    void theNextStartFindsTheConversationsPrefixCached() throws Exception {
        LocalServer s = server("2048");
        assertThat(s.commandLine()).isEmpty();
        int prompt = complete(start(s), PROMPT).path("prompt_n").asInt();
        assertThat(prompt).isGreaterThan(1000);
        s.stop();
        Path saved = dir.resolve("default");
        assertThat(saved.resolve("slot-0.bin")).exists();
        assertThat(saved.resolve("slot-1.bin")).as("an empty slot leaves no file").doesNotExist();
        assertThat(saved.resolve(Hibernator.IDENTITY)).exists();
        assertThat(saved).isDirectoryNotContaining("glob:**.tmp");
        Hibernator h = s.hibernator().orElseThrow();
        assertThat(h.saves()).isEqualTo(1);
        assertThat(h.saved()).containsOnlyKeys(0);

        JsonNode next = complete(start(s), PROMPT + "Then the dog woke up.");
        assertThat(h.restores()).isEqualTo(1);
        assertThat(h.tokensRestored()).isGreaterThanOrEqualTo(prompt);
        assertThat(next.path("cache_n").asInt()).as("the restored prefix, not evaluated again")
                .isGreaterThanOrEqualTo(prompt - 1);
        assertThat(next.path("prompt_n").asInt()).as("only the new turn evaluated").isLessThan(50);
    }

    @Test
    void afterACrashWhatWasSavedAtTheLastStopIsRestored() throws Exception {
        LocalServer s = server("2048");
        int prompt = complete(start(s), PROMPT).path("prompt_n").asInt();
        s.stop(); // saved
        Endpoint restarted = start(s);
        Hibernator h = s.hibernator().orElseThrow();
        assertThat(h.restores()).isEqualTo(1);
        io.quarkiverse.rocm.runtime.TestSupport.signal(restarted.pid(), "KILL"); // nothing saved now
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (h.restores() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(h.restores()).as("restored again by the supervisor's restart").isEqualTo(2);
        Endpoint after = s.awaitReady(false).get(30, TimeUnit.SECONDS);
        assertThat(after.pid()).isNotEqualTo(restarted.pid());
        assertThat(complete(after, PROMPT + "Then the dog woke up.").path("cache_n").asInt())
                .isGreaterThanOrEqualTo(prompt - 1);
    }

    @Test
    void aCacheSavedForAnotherStartOfTheModelIsSkippedAndDeleted() throws Exception {
        LocalServer small = server("2048");
        complete(start(small), PROMPT);
        small.stop();
        assertThat(dir.resolve("default/slot-0.bin")).exists();

        LocalServer larger = server("4096");
        JsonNode next = complete(start(larger), PROMPT);
        assertThat(larger.state()).isEqualTo(ModelServer.State.READY);
        assertThat(larger.hibernator().orElseThrow().restores()).isZero();
        assertThat(next.path("cache_n").asInt()).as("evaluated again").isZero();
        assertThat(dir.resolve("default/slot-0.bin")).as("deleted: it can never be restored").doesNotExist();
    }

    @Test
    void aCorruptCacheIsSkippedAndTheServerStartsAllTheSame() throws Exception {
        LocalServer s = server("2048");
        complete(start(s), PROMPT);
        s.stop();
        Files.writeString(dir.resolve("default/slot-0.bin"), "not a slot");
        Endpoint at = start(s);
        assertThat(s.state()).isEqualTo(ModelServer.State.READY);
        assertThat(s.hibernator().orElseThrow().restores()).isZero();
        assertThat(dir.resolve("default/slot-0.bin")).doesNotExist();
        assertThat(complete(at, PROMPT).path("cache_n").asInt()).isZero();
    }

    @Test
    void aChangeOfTheModelsStartIsNamed() {
        Map<String, String> then = Map.of("model", "default", "flags", "-m a.gguf -c 2048 -np 2 --jinja");
        Map<String, String> now = Map.of("model", "default", "flags", "-m a.gguf -c 4096 -np 2 --jinja");
        assertThat(Identities.change(then, now)).isEqualTo("flags: -c 2048 then, -c 4096 now");
        assertThat(Identities.change(now, now)).isNull();
        assertThat(Identities.change(Map.of("llama.cpp", "b1"), Map.of("llama.cpp", "b2")))
                .isEqualTo("llama.cpp: b1 then, b2 now");
    }
}
