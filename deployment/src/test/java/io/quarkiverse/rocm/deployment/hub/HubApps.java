package io.quarkiverse.rocm.deployment.hub;

import java.nio.file.Path;

import io.quarkiverse.rocm.testing.Folders;
import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkiverse.rocm.testing.hub.TestHub;
import io.quarkus.test.QuarkusUnitTest;

/** A test hub serving a GGUF repository of tiny models, and applications that pull from it into a fresh cache. */
final class HubApps {

    static final String REPO = "tiny-org/tiny-llama-GGUF";

    private HubApps() {
    }

    static String reply(String quant) {
        return "I am the " + quant + " file.";
    }

    static byte[] gguf(String quant) {
        return TinyModel.builder().reply(reply(quant)).build().toByteArray();
    }

    /** F16, Q8_0 and Q4_K_M files and a README, as a GGUF repository holds them. */
    static TestHub hub() {
        return new TestHub().file(REPO, "README.md", "# tiny\n".getBytes())
                .file(REPO, "tiny-llama-F16.gguf", gguf("F16"))
                .file(REPO, "tiny-llama-Q8_0.gguf", gguf("Q8_0"))
                .file(REPO, "tiny-llama-Q4_K_M.gguf", gguf("Q4_K_M"));
    }

    /** An empty cache folder of this name under target/ ({@link Folders#emptyOnce}). */
    static Path cache(String name) {
        return Folders.emptyOnce(Path.of("target", "hub-caches", name));
    }

    /**
     * What the hub the application pulls from saw. A {@code QuarkusUnitTest} loads the test class again, so a test
     * method's static hub is a second one: the application's is found through its configured address.
     */
    static java.util.List<TestHub.Seen> seen() {
        return TestHub.seenAt(endpoint());
    }

    static void clearSeen() {
        TestHub.clearSeenAt(endpoint());
    }

    private static java.net.URI endpoint() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("quarkus.rocm.hf.endpoint",
                java.net.URI.class);
    }

    /** An application with the OpenAI API, pulling from {@code hub} into the cache {@code cache}. */
    static QuarkusUnitTest app(TestHub hub, Path cache) {
        return new QuarkusUnitTest().withApplicationRoot(jar -> jar.addClasses(HubApps.class))
                .overrideConfigKey("quarkus.rocm.openai.enabled", "true")
                .overrideConfigKey("quarkus.langchain4j.chat-model.provider", "rocm")
                .overrideConfigKey("quarkus.rocm.hf.endpoint", hub.endpoint().toString())
                .overrideConfigKey("quarkus.rocm.hf.cache", cache.toString())
                .overrideConfigKey("quarkus.rocm.threads", "1");
    }
}
