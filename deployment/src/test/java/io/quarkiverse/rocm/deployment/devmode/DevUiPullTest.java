package io.quarkiverse.rocm.deployment.devmode;

import static io.quarkiverse.rocm.deployment.devmode.DevModeModels.config;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkiverse.rocm.testing.hub.TestHub;
import io.quarkus.test.QuarkusDevModeTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The Dev UI's Models page and a model named by its repository, in dev mode: the model's pull shows its progress in
 * the live models (a percentage, and the reason saying {@code downloading N%}); a model is pulled by name into the
 * cache from the page, and the cache's files are listed with their sizes.
 */
public class DevUiPullTest {

    static final int PORT = DevModeModels.freePort();
    static final String REPO = "tiny-org/tiny-llama-GGUF";
    static final TestHub HUB = new TestHub()
            .file(REPO, "tiny-llama-Q8_0.gguf", TinyModel.builder().reply("I am the Q8_0 file.").build().toByteArray())
            .file(REPO, "tiny-llama-Q4_K_M.gguf", TinyModel.builder().reply("I am the Q4 file.").build().toByteArray())
            .throttle(60_000);
    static final Path CACHE = Path.of("target", "hub-caches", "DevUiPullTest-" + PORT).toAbsolutePath();

    @RegisterExtension
    static final QuarkusDevModeTest dev = new QuarkusDevModeTest()
            .withApplicationRoot(jar -> jar.addAsResource(new StringAsset(config("default")
                    + "quarkus.rocm.pulled.model.hf-repo=" + REPO + ":Q8_0\nquarkus.rocm.pulled.threads=1\n"
                    + "quarkus.rocm.start=background\nquarkus.rocm.hf.endpoint=" + HUB.endpoint() + "\n"
                    + "quarkus.rocm.hf.cache=" + CACHE + "\nquarkus.http.port=" + PORT + "\n"),
                    "application.properties"));

    @AfterAll
    static void close() {
        HUB.close();
    }

    @Test
    void theModelsPageShowsThePullAndPullsByName() throws Exception {
        try (DevUiJsonRpc rpc = new DevUiJsonRpc(PORT)) {
            int live = rpc.send("streamModels", new JsonObject());
            JsonArray downloading = rpc.nextMatching(live, (JsonArray models) -> {
                JsonObject pulled = models.getJsonObject(1);
                return pulled.getInteger("downloadPercent") != null && pulled.getInteger("downloadPercent") > 0;
            });
            JsonObject pulled = downloading.getJsonObject(1);
            assertThat(pulled.getString("name")).isEqualTo("pulled");
            assertThat(pulled.getString("state")).isEqualTo("STARTING");
            assertThat(pulled.getString("reason")).matches("downloading [0-9]+% of .* \\(tiny-llama-Q8_0\\.gguf, .*");
            assertThat(pulled.getInteger("downloadPercent")).isBetween(1, 100);
            JsonArray pulls = (JsonArray) rpc.call("getPulls", new JsonObject());
            assertThat(pulls.getJsonObject(0).getString("model")).isEqualTo(REPO + ":Q8_0");

            JsonArray ready = rpc.nextMatching(live, (JsonArray models) -> "READY".equals(models.getJsonObject(1)
                    .getString("state")));
            assertThat(ready.getJsonObject(1).getValue("downloadPercent")).isNull();
            assertThat(ready.getJsonObject(1).getJsonObject("gguf").getString("file")).startsWith(CACHE.toString())
                    .endsWith("/tiny-llama-Q8_0.gguf");

            HUB.throttle(0);
            String answer = (String) rpc.call("pull", new JsonObject().put("reference", REPO + ":Q4_K_M"));
            assertThat(answer).startsWith("pulled " + REPO + ":Q4_K_M -> " + CACHE);
            assertThat((String) rpc.call("pull", new JsonObject().put("reference", REPO + ":Q4_K_M")))
                    .startsWith("already in the cache: ");
            assertThat((String) rpc.call("pull", new JsonObject().put("reference", "not a repo")))
                    .contains("is not a Hugging Face repository");
            JsonArray cache = (JsonArray) rpc.call("getCache", new JsonObject());
            assertThat(cache).hasSize(2);
            assertThat(cache.getJsonObject(0).getString("repo")).isEqualTo(REPO);
            assertThat(cache.stream().map(f -> ((JsonObject) f).getString("path")))
                    .containsExactlyInAnyOrder("tiny-llama-Q8_0.gguf", "tiny-llama-Q4_K_M.gguf");
            assertThat(cache.getJsonObject(0).getLong("bytes")).isEqualTo(HUB.get(REPO,
                    cache.getJsonObject(0).getString("path")).content().length);
            assertThat(cache.getJsonObject(0).getString("size")).endsWith(" kB");
        }
    }
}
