package io.quarkiverse.rocm.deployment.devmode;

import static io.quarkiverse.rocm.deployment.devmode.DevModeModels.config;
import static io.quarkiverse.rocm.deployment.devmode.DevModeModels.reply;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkiverse.rocm.testing.hub.TestHub;
import io.quarkus.test.QuarkusDevModeTest;

/**
 * The Dev UI card in a real browser (Debian's headless Chromium, installed by the build's
 * {@code src/test/scripts/install-browser.sh}): the card opens its Models page, which shows every model's state,
 * the Chat page streams an answer with its timings, the Exchanges page lists that exchange, a model named by its
 * repository loads from the Models page with its pull's progress bar, and a model is pulled by name into the cache. Skipped,
 * saying why,
 * when no browser could be installed.
 */
public class DevUiBrowserTest {

    static final int PORT = DevModeModels.freePort();
    static final Path STATUS = Path.of("target", "browser.txt");
    /** Finds an element through every shadow root (the Dev UI is web components all the way down). */
    static final String DEEP = "const deep = (sel, root = document) => { const hit = root.querySelector(sel);"
            + " if (hit) return hit; for (const e of root.querySelectorAll('*')) { if (e.shadowRoot) {"
            + " const f = deep(sel, e.shadowRoot); if (f) return f; } } return null; };";

    static final String REPO = "tiny-org/tiny-llama-GGUF";
    /** A hub for a model named by its repository, loaded from the Models page (its pull shown as a progress bar). */
    static final TestHub HUB = new TestHub()
            .file(REPO, "tiny-llama-Q8_0.gguf", TinyModel.builder().reply("I am the Q8_0 file.").build().toByteArray())
            .file(REPO, "tiny-llama-Q4_K_M.gguf", TinyModel.builder().reply("I am the Q4 file.").build().toByteArray())
            .throttle(100_000);

    @RegisterExtension
    static final QuarkusDevModeTest dev = new QuarkusDevModeTest()
            .withApplicationRoot(jar -> jar.addAsResource(new StringAsset(config("default") + config("second")
            // two fit: the third, named by its repository, loads from the page
                    + "quarkus.rocm.max-loaded=2\nquarkus.rocm.third.model.hf-repo=" + REPO + ":Q8_0\n"
                    + "quarkus.rocm.third.threads=1\nquarkus.rocm.hf.endpoint=" + HUB.endpoint() + "\n"
                    // the second model's prompt caches are saved at its unload: the page shows and deletes them
                    + "quarkus.rocm.second.kv-cache.hibernate=true\nquarkus.rocm.hibernation.dir="
                    + Path.of("target", "devui-browser-kv-cache-" + PORT).toAbsolutePath() + "\n"
                    + "quarkus.rocm.hf.cache=" + Path.of("target", "hub-caches", "DevUiBrowserTest-" + PORT)
                            .toAbsolutePath()
                    + "\nquarkus.http.port=" + PORT + "\n"), "application.properties"));

    @Test
    void theCardShowsTheModelsAndStreamsAChat() throws IOException {
        List<String> browser = browser();
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(browser.get(1)).toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary(browser.get(0)).addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1000", "--user-data-dir=" + Files.createTempDirectory("devui-browser"));
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriver driver = new ChromeDriver(service, options);
        try {
            // generous: the first visit of the Dev UI loads its web components while the machine may be busy
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(120));
            wait.withMessage(() -> "the page at " + driver.getCurrentUrl() + " did not get there; its browser console: "
                    + driver.manage().logs().get(LogType.BROWSER).getAll());
            // the extensions page: the card, and its Models link
            driver.get("http://localhost:" + PORT + "/q/dev-ui/extensions");
            wait.until(d -> js(d, "return deep('qwc-extension-link[path=\"quarkus-rocm/models\"]') !== null"));
            js(driver, "deep('qwc-extension-link[path=\"quarkus-rocm/models\"]').shadowRoot.querySelector('a').click();"
                    + " return true");
            // the models' grid renders its cells into its light DOM: each model's cells are div#model-ALIAS (with its
            // state), div#state-ALIAS and div#actions-ALIAS
            wait.until(d -> "READY".equals(js(d, "return deep('#model-default')?.dataset.state")));
            assertThat(js(driver, "return deep('#model-second')?.dataset.state")).isEqualTo("READY");
            assertThat((String) js(driver, "return deep('qwc-rocm-models').shadowRoot.textContent"))
                    .contains("tiny-llama-scripted", "512 x 1");

            // the Chat page: the answer arrives in pieces, then the timings; the answer is the item of the message list
            // with the class "answer", each of its texts as it grew recorded in window.rocmAnswers
            driver.get("http://localhost:" + PORT + "/q/dev-ui/quarkus-rocm/chat");
            wait.until(d -> Boolean.TRUE.equals(js(d, "return deep('qwc-rocm-chat')?.shadowRoot?.querySelector('#model')"
                    + "?.items?.some(i => i.value === 'second') === true")));
            js(driver, "const c = deep('qwc-rocm-chat').shadowRoot; c.querySelector('#model').value = 'second';"
                    + " c.querySelector('#message').value = 'Who are you?';"
                    + " const list = c.querySelector('#conversation'); window.rocmAnswers = [];"
                    + " new MutationObserver(() => { const a = list.items.find(i => i.className === 'answer')?.text;"
                    + " if (a && a !== window.rocmAnswers[window.rocmAnswers.length - 1]) window.rocmAnswers.push(a); })"
                    + ".observe(list, {childList: true, subtree: true, characterData: true});"
                    + " c.querySelector('#send').click(); return true");
            wait.until(d -> String.valueOf(js(d, "return deep('qwc-rocm-chat')?.shadowRoot?.querySelector('#stats')?"
                    + ".textContent")).contains("time to first token"));
            assertThat(js(driver, "return deep('qwc-rocm-chat').shadowRoot.querySelector('#conversation').items"
                    + ".find(i => i.className === 'answer').text")).isEqualTo(reply("second"));
            wait.until(d -> reply("second").equals(js(d, "return deep('qwc-rocm-chat').shadowRoot"
                    + ".querySelector('#conversation vaadin-message.answer vaadin-markdown')?.textContent.trim()")));
            assertThat((String) js(driver, "return deep('qwc-rocm-chat')?.shadowRoot?.querySelector('#stats')?"
                    + ".textContent")).contains("tokens/s", "STOP");
            assertThat(((Number) js(driver, "return window.rocmAnswers.length")).intValue()).as("the answer was streamed")
                    .isGreaterThan(1);
            assertThat(js(driver, "return deep('qwc-rocm-chat').shadowRoot.querySelector('#error').textContent"))
                    .isEqualTo("");
            screenshot(driver, "dev-ui-chat.png");

            // the Exchanges page: that chat, in its grid
            driver.get("http://localhost:" + PORT + "/q/dev-ui/quarkus-rocm/exchanges");
            wait.until(d -> Boolean.TRUE.equals(js(d, "const g = deep('qwc-rocm-exchanges')?.shadowRoot"
                    + "?.querySelector('vaadin-grid'); return g != null && g.items.some(i => i.model === 'second'"
                    + " && i.caller === 'application' && i.status === 200 && i.completionTokens > 0)")));

            // the Models page: the second model's Unload saves the chat's prompt cache, shown with the model, and its
            // Delete button deletes it; loaded again for what follows
            driver.get("http://localhost:" + PORT + "/q/dev-ui/quarkus-rocm/models");
            wait.until(d -> js(d, "return deep('#actions-second vaadin-button.unload')") != null);
            js(driver, "deep('#actions-second vaadin-button.unload').click(); return true");
            wait.until(d -> String.valueOf(js(d, "return deep('#saved-caches-second .saved')?.textContent"))
                    .startsWith("1 cache(s)"));
            js(driver, "deep('#saved-caches-second vaadin-button.drop-caches').click(); return true");
            wait.until(d -> "none".equals(js(d, "return deep('#saved-caches-second .saved')?.textContent?.trim()")));
            js(driver, "deep('#actions-second vaadin-button.load').click(); return true");
            wait.until(d -> "READY".equals(js(d, "return deep('#model-second')?.dataset.state")));

            // the Models page: the model named by its repository loads from its Load button, its pull shown as a
            // progress bar; then a model is pulled by name into the cache, which lists both files
            driver.get("http://localhost:" + PORT + "/q/dev-ui/quarkus-rocm/models");
            wait.until(d -> js(d, "return deep('#actions-third vaadin-button.load')") != null);
            js(driver, "deep('#actions-third vaadin-button.load').click(); return true");
            wait.until(d -> Boolean.TRUE.equals(js(d, "return deep('#state-third vaadin-progress-bar.download') != null")));
            assertThat((String) js(driver, "return deep('#state-third').textContent")).contains("downloading");
            wait.until(d -> "READY".equals(js(d, "return deep('#model-third')?.dataset.state")));
            js(driver, "const m = deep('qwc-rocm-models').shadowRoot; m.querySelector('#pull-reference').value = '"
                    + REPO + ":Q4_K_M'; m.querySelector('#pull').click(); return true");
            wait.until(d -> String.valueOf(js(d, "return deep('qwc-rocm-models').shadowRoot"
                    + ".querySelector('#pull-message').textContent")).startsWith("pulled " + REPO + ":Q4_K_M"));
            wait.until(d -> ((Number) js(d, "return deep('qwc-rocm-models').shadowRoot"
                    + ".querySelector('#cache').items.length")).intValue() == 2);
            // the cache's grid renders its cells (in its light DOM) a moment after its items are set
            wait.until(d -> {
                String cache = String.valueOf(js(d, "return deep('qwc-rocm-models').shadowRoot.querySelector('#cache')"
                        + ".textContent"));
                return cache.contains("tiny-llama-Q4_K_M.gguf") && cache.contains("tiny-llama-Q8_0.gguf")
                        && cache.contains(" kB");
            });
            screenshot(driver, "dev-ui-models.png");
        } finally {
            driver.quit();
        }
    }

    static Object js(org.openqa.selenium.WebDriver driver, String script) {
        return ((JavascriptExecutor) driver).executeScript(DEEP + script);
    }

    /** Chromium and ChromeDriver as the build's installer found them, or the test is skipped with its reason. */
    static List<String> browser() throws IOException {
        Assumptions.assumeTrue(Files.exists(STATUS), "the browser installer did not run (" + STATUS + " is missing):"
                + " run the test through Maven, or run src/test/scripts/install-browser.sh " + STATUS);
        String status = Files.readString(STATUS).strip();
        Assumptions.assumeTrue(status.startsWith("ok "), "no browser for the Dev UI test: " + status);
        List<String> parts = List.of(status.split(" "));
        return parts.subList(1, 3);
    }

    /** What the page shows now, into target/dev-ui/ (the guides' pictures of the card are taken from there). */
    static void screenshot(ChromeDriver driver, String name) throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "dev-ui"));
        // the Dev UI's own toasts (its extension manager cannot reach a Maven repository offline) would cover the picture
        js(driver, "document.querySelectorAll('vaadin-notification-container').forEach(c => c.remove()); return true");
        Files.write(dir.resolve(name), driver.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
    }

    @AfterAll
    static void leavingDevModeStopsEveryServer() throws InterruptedException {
        HUB.close();
        DevModeModels.assertNoneLeft();
    }
}
