package io.quarkiverse.rocm.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.regex.Pattern;

import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;

import org.acme.Assistant;
import org.acme.AssistantResource;
import org.acme.Summaries;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.quarkiverse.rocm.runtime.spec.LocalSpec;
import io.quarkiverse.rocm.testing.Folders;
import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkiverse.rocm.testing.hub.TestHub;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.RestAssured;

/**
 * The getting-started guide, as a new user follows it: its configuration (the model by its Hugging Face name), its AI
 * service, its REST resource and its chat-model bean, in an application that pulls the model from a local hub speaking
 * Hugging Face's protocol (the real one cannot be reached from the build); then the page's commands, and the log lines
 * it says the user sees.
 */
public class GettingStartedGuideTest {

    static final String REPO = "ggml-org/gemma-3-4b-it-GGUF";
    static final String REPLY = "I am the model the guide named.";
    static final TestHub HUB = new TestHub().file(REPO, "README.md", "# gemma\n".getBytes())
            .file(REPO, "gemma-3-4b-it-Q4_K_M.gguf", TinyModel.builder().reply(REPLY).build().toByteArray())
            .file(REPO, "gemma-3-4b-it-Q8_0.gguf", TinyModel.builder().reply("the wrong file").build().toByteArray());

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Assistant.class, AssistantResource.class, Summaries.class, Guide.class,
                    Commands.class))
            .withConfigurationResource("getting-started.properties")
            .overrideConfigKey("quarkus.rocm.hf.endpoint", HUB.endpoint().toString())
            .overrideConfigKey("quarkus.rocm.hf.cache",
                    Folders.emptyOnce(Path.of("target", "caches", "getting-started")).toString())
            .overrideConfigKey("quarkus.rocm.threads", "1")
            .setLogRecordPredicate(r -> r.getLevel().intValue() >= Level.INFO.intValue()
                    && r.getLoggerName().startsWith("io.quarkiverse.rocm"))
            .assertLogRecords(GettingStartedGuideTest::theLogSaysWhatThePageSays);

    @Inject
    Assistant assistant;

    @Inject
    Summaries summaries;

    @Inject
    ModelServers servers;

    @AfterAll
    static void close() {
        HUB.close();
    }

    @Test
    @ActivateRequestContext // an AI service is request-scoped, as in the page's REST resource
    void theAiServiceAnswersFromTheModelThePageNames() {
        assertThat(assistant.chat("Who are you?")).isEqualTo(REPLY);
        Path served = ((LocalSpec) servers.defaultServer().orElseThrow().spec()).model().path();
        assertThat(served.toString()).contains("models--ggml-org--gemma-3-4b-it-GGUF").endsWith("gemma-3-4b-it-Q4_K_M.gguf");
        assertThat(summaries.summarize("a long text")).isEqualTo(REPLY);
    }

    @Test
    void thePagesCommandsAnswer() {
        List<String> commands = Guide.page("getting-started.adoc").commands();
        assertThat(commands).as("the page's curl commands").hasSize(2);
        for (String command : commands) {
            assertThat(Commands.run(command, RestAssured.port, Map.of())).contains(REPLY);
        }
    }

    /**
     * Each line of the page's log excerpt is a line the application logged: its "..." stand for what differs between
     * machines, its numbers for any number.
     */
    static void theLogSaysWhatThePageSays(List<java.util.logging.LogRecord> records) {
        List<String> logged = records.stream().map(r -> ((ExtLogRecord) r).getFormattedMessage()).toList();
        String excerpt = Guide.page("getting-started.adoc").block("log").text();
        for (String line : excerpt.split("\n")) {
            String message = line.substring(line.indexOf("] ") + 2);
            StringBuilder regex = new StringBuilder();
            for (String part : message.split("\\.\\.\\.", -1)) {
                regex.append(regex.isEmpty() ? "" : ".*");
                for (String piece : part.split("\\d+(?:\\.\\d+)?", -1)) {
                    regex.append(regex.isEmpty() || regex.toString().endsWith(".*") ? "" : "\\d+(?:\\.\\d+)?");
                    regex.append(Pattern.quote(piece));
                }
            }
            Pattern pattern = Pattern.compile(regex.toString());
            assertThat(logged).as("the log line the page shows: %s", line).anyMatch(l -> pattern.matcher(l).matches());
        }
    }
}
