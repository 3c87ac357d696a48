package io.quarkiverse.rocm.deployment.devmode;

import static io.quarkiverse.rocm.deployment.devmode.DevModeModels.config;
import static io.quarkiverse.rocm.deployment.devmode.DevModeModels.pid;
import static io.quarkiverse.rocm.deployment.devmode.DevModeModels.reply;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusDevModeTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The Dev UI card's JSON-RPC service in dev mode, over the Dev UI's own web socket: the models with their process,
 * GGUF metadata and command line; live state changes during a restart from the card; a streamed chat with its
 * timings; each model's llama-server output.
 */
public class DevUiJsonRpcTest {

    static final int PORT = DevModeModels.freePort();

    @RegisterExtension
    static final QuarkusDevModeTest dev = new QuarkusDevModeTest()
            .withApplicationRoot(jar -> jar.addAsResource(new StringAsset(config("default") + config("second")
                    + "quarkus.rocm.second.parallel=2\nquarkus.http.port=" + PORT + "\n"
                    // speculative decoding: the model drafted by itself, its acceptance in the chat's stats
                    + "quarkus.rocm.second.draft.model.path=" + DevModeModels.model("second") + "\n"
                    // vision: the playground's chat sends an image
                    + "quarkus.rocm.mmproj=" + projector() + "\n"
                    // a LoRA adapter of the default model, listed with it and chosen by its name
                    + "quarkus.rocm.lora.skip.path=" + adapter() + "\n"
                    // the second model's prompt caches are saved when it is unloaded; the card shows and deletes them
                    + "quarkus.rocm.second.kv-cache.hibernate=true\nquarkus.rocm.hibernation.dir="
                    + java.nio.file.Path.of("target", "devui-kv-cache").toAbsolutePath() + "\n"),
                    "application.properties"));

    @Test
    void theCardsServiceShowsStreamsAndRestarts() throws Exception {
        try (DevUiJsonRpc rpc = new DevUiJsonRpc(PORT)) {
            JsonArray models = (JsonArray) rpc.call("getModels", new JsonObject());
            assertThat(models).hasSize(2);
            JsonObject second = models.getJsonObject(1);
            assertThat(second.getString("name")).isEqualTo("second");
            assertThat(second.getString("state")).isEqualTo("READY");
            assertThat(second.getLong("pid")).isEqualTo(pid("second"));
            assertThat(second.getString("listensOn")).as("its Unix domain socket").endsWith("llama-server.sock");
            assertThat(second.getInteger("contextSize")).isEqualTo(512);
            assertThat(second.getInteger("parallel")).isEqualTo(2);
            assertThat(second.getInteger("restarts")).isZero();
            assertThat(second.getJsonObject("gguf").getString("general.architecture")).isEqualTo("llama");
            assertThat(second.getJsonObject("gguf").getString("tokenizer.ggml.tokens")).matches("\\[\\d+ values.*]");
            assertThat(second.getJsonArray("commandLine").getList()).contains("-m", DevModeModels.model("second")
                    .toString(), "-np", "2", "--api-key-file");
            assertThat(second.getJsonArray("gpus")).isEmpty();
            assertThat(rpc.call("getReadyLabel", new JsonObject())).isEqualTo("2/2 ready");
            assertThat(second.getString("scheduled")).isEqualTo("LOADED");
            assertThat(second.getBoolean("pinned")).isFalse();
            assertThat(second.getInteger("busy")).isZero();
            assertThat(second.getJsonArray("capabilities").getList()).containsExactly("completion", "tools");

            // the scheduler from the card: unload, then load again
            assertThat(rpc.call("unload", new JsonObject().put("name", "<default>"))).isEqualTo("unloaded");
            assertThat(DevModeModels.running()).doesNotContainKey("default");
            assertThat(((JsonArray) rpc.call("getModels", new JsonObject())).getJsonObject(0).getString("scheduled"))
                    .isEqualTo("UNLOADED");
            assertThat(rpc.call("load", new JsonObject().put("name", "<default>"))).isEqualTo("loaded");
            assertThat(DevModeModels.running()).containsKey("default");

            // live: a restart from the card shows the server going away and coming back with a new process
            long before = pid("second");
            int live = rpc.send("streamModels", new JsonObject());
            assertThat(stateOf(rpc.next(live), "second")).isEqualTo("READY");
            int followed = rpc.send("streamLogs", new JsonObject().put("name", "second"));
            int restart = rpc.send("restart", new JsonObject().put("name", "second"));
            List<String> seen = new ArrayList<>();
            rpc.<JsonArray> nextMatching(live, m -> {
                seen.add(stateOf(m, "second"));
                return seen.size() > 1 && "READY".equals(stateOf(m, "second"));
            });
            assertThat(seen).as("states the page saw").containsAnyOf("STOPPING", "STOPPED", "STARTING");
            assertThat((String) rpc.next(restart)).startsWith("restarted: pid ");
            assertThat(pid("second")).isNotEqualTo(before);
            String line = rpc.nextMatching(followed, (String l) -> l.contains("listening on"));
            assertThat(line).contains("unix://", "llama-server.sock");
            @SuppressWarnings("unchecked")
            List<String> logs = ((JsonArray) rpc.call("getLogs", new JsonObject().put("name", "second"))).getList();
            assertThat(logs).anySatisfy(l -> assertThat(l).contains("model loaded"));

            // the playground: tokens as they come, then the timings; the exchange shows on the Exchanges page
            int exchanges = rpc.send("streamExchanges", new JsonObject());
            int chat = rpc.send("chat", new JsonObject().put("name", "second").put("system", "Be brief.")
                    .put("message", "Who are you?").put("temperature", 0.0).put("maxTokens", 64));
            StringBuilder answer = new StringBuilder();
            int tokens = 0;
            JsonObject event = (JsonObject) rpc.next(chat);
            while ("token".equals(event.getString("type"))) {
                answer.append(event.getString("text"));
                tokens++;
                event = (JsonObject) rpc.next(chat);
            }
            assertThat(event.getString("type")).as("last event: %s", event).isEqualTo("done");
            assertThat(answer.toString()).isEqualTo(reply("second"));
            assertThat(tokens).as("streamed in pieces").isGreaterThan(1);
            assertThat(event.getDouble("ttftMillis")).isPositive();
            assertThat(event.getInteger("tokens")).as("generated tokens (llama-server's count)").isGreaterThanOrEqualTo(tokens);
            assertThat(event.getDouble("tokensPerSecond")).isPositive();
            assertThat(event.getDouble("serverTokensPerSecond")).isPositive();
            assertThat(event.getDouble("draftAcceptance")).as("drafted by itself").isGreaterThan(0).isLessThanOrEqualTo(1);
            assertThat(event.getString("finishReason")).isEqualTo("STOP");
            JsonObject exchange = rpc.nextMatching(exchanges, (JsonObject x) -> "second".equals(x.getString("model")));
            assertThat(exchange.getString("endpoint")).isEqualTo("/v1/chat/completions");
            assertThat(exchange.getString("caller")).isEqualTo("application");
            assertThat(exchange.getInteger("status")).isEqualTo(200);
            assertThat(exchange.getInteger("completionTokens")).isEqualTo(event.getInteger("tokens"));
            assertThat(exchange.getDouble("firstTokenMs")).isPositive();
            assertThat(exchange.getDouble("durationMs")).isGreaterThanOrEqualTo(exchange.getDouble("firstTokenMs"));
            JsonObject newest = ((JsonArray) rpc.call("getExchanges", new JsonObject())).getJsonObject(0);
            assertThat(newest.getString("at")).isEqualTo(exchange.getString("at"));

            // a request cut short by max tokens says so
            int shortChat = rpc.send("chat", new JsonObject().put("name", "<default>").putNull("system")
                    .put("message", "Hi").putNull("temperature").put("maxTokens", 3));
            JsonObject done = rpc.nextMatching(shortChat, (JsonObject e) -> !"token".equals(e.getString("type")));
            assertThat(done.getString("finishReason")).isEqualTo("LENGTH");
            assertThat(done.getInteger("tokens")).isEqualTo(3);

            // kv-cache.hibernate: the unload saved the playground's conversation with "second"; the card deletes it
            assertThat(rpc.call("unload", new JsonObject().put("name", "second"))).isEqualTo("unloaded");
            JsonObject saved = savedCaches(rpc, "second");
            assertThat(saved.getJsonObject("slots").size()).as("%s", saved).isPositive();
            assertThat(saved.getLong("saves")).isPositive();
            assertThat(saved.getLong("bytes")).isPositive();
            assertThat(savedCaches(rpc, "<default>")).as("it does not hibernate").isNull();
            assertThat((String) rpc.call("dropCaches", new JsonObject().put("name", "second"))).startsWith("deleted ");
            assertThat(savedCaches(rpc, "second").getJsonObject("slots")).isEmpty();
            assertThat(rpc.call("load", new JsonObject().put("name", "second"))).isEqualTo("loaded");
        }
    }

    static JsonObject savedCaches(DevUiJsonRpc rpc, String model) throws Exception {
        return ((JsonArray) rpc.call("getModels", new JsonObject())).stream().map(JsonObject.class::cast)
                .filter(m -> model.equals(m.getString("name"))).findFirst().orElseThrow().getJsonObject("savedCaches");
    }

    static String projector() {
        try {
            return io.quarkiverse.rocm.testing.TinyProjector
                    .ensure(java.nio.file.Path.of("target", "test-models", "devui-mmproj.gguf").toAbsolutePath())
                    .toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static final io.quarkiverse.rocm.testing.TinyAdapter SKIP = io.quarkiverse.rocm.testing.TinyAdapter
            .of(io.quarkiverse.rocm.testing.TinyModel.builder().reply(reply("default")).build(), 1);

    static String adapter() {
        try {
            return SKIP.ensure(java.nio.file.Path.of("target", "test-models", "devui-skip-lora.gguf").toAbsolutePath())
                    .toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void thePlaygroundListsAndChatsWithAnAdapter() throws Exception {
        try (DevUiJsonRpc rpc = new DevUiJsonRpc(PORT)) {
            JsonObject base = ((JsonArray) rpc.call("getModels", new JsonObject())).stream().map(JsonObject.class::cast)
                    .filter(m -> "<default>".equals(m.getString("name"))).findFirst().orElseThrow();
            JsonObject skip = base.getJsonArray("adapters").getJsonObject(0);
            assertThat(skip.getString("name")).isEqualTo("skip");
            assertThat(skip.getString("file")).isEqualTo(adapter());
            assertThat(skip.getDouble("scale")).isEqualTo(1.0);
            int chat = rpc.send("chat", new JsonObject().put("name", "skip").putNull("system").put("message", "Hi")
                    .put("temperature", 0.0).putNull("maxTokens").putNull("image"));
            StringBuilder answer = new StringBuilder();
            JsonObject event = (JsonObject) rpc.next(chat);
            while ("token".equals(event.getString("type"))) {
                answer.append(event.getString("text"));
                event = (JsonObject) rpc.next(chat);
            }
            assertThat(event.getString("type")).as("%s", event).isEqualTo("done");
            assertThat(answer.toString()).isEqualTo(SKIP.reply());
        }
    }

    /** A 1x1 PNG, as the page sends a picked file. */
    static final String PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";

    @Test
    void thePlaygroundSendsAnImage() throws Exception {
        try (DevUiJsonRpc rpc = new DevUiJsonRpc(PORT)) {
            JsonArray models = (JsonArray) rpc.call("getModels", new JsonObject());
            JsonObject vision = models.stream().map(JsonObject.class::cast)
                    .filter(m -> "<default>".equals(m.getString("name"))).findFirst().orElseThrow();
            assertThat(vision.getString("projector")).isEqualTo(projector());
            assertThat(vision.getJsonArray("capabilities").getList()).contains("vision");
            int exchanges = rpc.send("streamExchanges", new JsonObject());
            Integer[] prompts = new Integer[2];
            for (int i = 0; i < 2; i++) {
                JsonObject params = new JsonObject().put("name", "<default>").putNull("system").put("message", "What is it?")
                        .put("temperature", 0.0).putNull("maxTokens");
                int chat = rpc.send("chat", i == 0 ? params.putNull("image") : params.put("image", PNG));
                JsonObject done = rpc.nextMatching(chat, (JsonObject e) -> !"token".equals(e.getString("type")));
                assertThat(done.getString("type")).as("%s", done).isEqualTo("done");
                prompts[i] = rpc.nextMatching(exchanges, (JsonObject x) -> "default".equals(x.getString("model")))
                        .getInteger("promptTokens");
            }
            assertThat(prompts[1]).as("the image's tokens").isEqualTo(prompts[0]
                    + io.quarkiverse.rocm.testing.TinyProjector.IMAGE_TOKENS);
            int blind = rpc.send("chat", new JsonObject().put("name", "second").putNull("system").put("message", "Hi")
                    .putNull("temperature").putNull("maxTokens").put("image", PNG));
            JsonObject error = rpc.nextMatching(blind, (JsonObject e) -> !"token".equals(e.getString("type")));
            assertThat(error.getString("type")).isEqualTo("error");
            assertThat(error.getString("text")).contains("quarkus.rocm.second.mmproj");
        }
    }

    static String stateOf(Object models, String name) {
        for (Object o : (JsonArray) models) {
            JsonObject m = (JsonObject) o;
            if (name.equals(m.getString("name"))) {
                return m.getString("state");
            }
        }
        throw new AssertionError("no model " + name + " in " + models);
    }

    @AfterAll
    static void leavingDevModeStopsEveryServer() throws InterruptedException {
        DevModeModels.assertNoneLeft();
    }
}
