package io.quarkiverse.rocm.docs;

import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.QuarkusUnitTest;

/** Applications configured as a page of the guides says. */
final class GuideApps {

    private GuideApps() {
    }

    /**
     * {@code app} with the properties of the block {@code [#blockId,source,properties]} of {@code page}, the files they
     * name written under target/example-files/ ({@link ExampleFiles}; the values of its {@code ${NAME}} references are
     * the caller's to give), and each of {@code models} ("" for the default
     * one) on one llama-server thread, as every test here runs them. Add this class, {@link Guide} and
     * {@link ExampleFiles} to the application's classes: a {@code QuarkusUnitTest} loads the test class again there.
     */
    static QuarkusUnitTest configured(QuarkusUnitTest app, String page, String blockId, String... models) {
        Map<String, String> block = Guide.page(page).propertiesOf(blockId);
        Map<String, String> real = ExampleFiles.under(
                Path.of("target", "example-files", page.replace(".adoc", "")).toAbsolutePath(), block);
        // the block's own keys: the values of its ${NAME} references are the test's to give (keys, say)
        block.keySet().forEach(key -> app.overrideConfigKey(key, real.get(key)));
        for (String model : models) {
            app.overrideConfigKey("quarkus.rocm." + (model.isEmpty() ? "" : model + ".") + "threads", "1");
        }
        return app;
    }
}
