package io.quarkiverse.rocm.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import io.quarkiverse.rocm.deployment.RocmBuildTimeConfig;
import io.quarkiverse.rocm.runtime.config.RocmRuntimeConfig;
import io.quarkiverse.rocm.runtime.spec.ServerSpec;
import io.quarkiverse.rocm.runtime.spec.ServerSpecs;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Every configuration block of every page is read by the extension's own configuration (its build-time and runtime
 * mappings: a misspelt key, a wrong type or value fails) and planned as the application would start it (the
 * llama-server command line of each model, its adapters, projector and draft, the scheduler's limits: a conflict
 * fails with the extension's own error), with the files it names made real by {@link ExampleFiles}.
 */
class GuideConfigurationTest {

    @TempDir
    static Path root;

    @TestFactory
    Stream<DynamicTest> everyConfigurationBlockIsOneTheExtensionAccepts() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path page : Guide.pages()) {
            String name = Guide.MODULE.resolve("pages").relativize(page).toString();
            if (name.startsWith("includes/")) {
                continue;
            }
            List<Guide.Block> blocks = Guide.page(name).blocks("properties");
            for (int i = 0; i < blocks.size(); i++) {
                Guide.Block block = blocks.get(i);
                tests.add(DynamicTest.dynamicTest(name + " block " + (i + 1) + ": " + block.text().strip().split("\n")[0],
                        () -> plan(name, block.text())));
            }
        }
        assertThat(tests).as("configuration blocks in the guides").hasSizeGreaterThan(20);
        return tests.stream();
    }

    /** The llama-server with the RPC backend that the build installed, as the last line of its installer's output. */
    static String rpcLlamaServer() throws java.io.IOException {
        List<String> lines = Files.readAllLines(Path.of("target", "llama-server-rpc.txt"));
        String last = lines.get(lines.size() - 1).strip();
        assertThat(Path.of(last)).as("the RPC build the installer printed").isExecutable();
        return last;
    }

    static void plan(String page, String block) throws Exception {
        Path dir = Files.createTempDirectory(root, page.replace(".adoc", ""));
        Map<String, String> properties = new java.util.LinkedHashMap<>(ExampleFiles.under(dir, Guide.parse(block)));
        if (properties.keySet().stream().noneMatch(k -> k.startsWith("quarkus.rocm.model.") || k.endsWith("models-dir"))) {
            // a block about something else: the default model is the tiny one, as dev and test mode serve it
            properties.put("quarkus.rocm.model.path", ExampleFiles.under(dir, Map.of("m", "/models/tiny.gguf")).get("m"));
        }
        if (properties.keySet().stream().anyMatch(k -> k.endsWith("rpc-workers"))) {
            // as the page says: the llama-server with the RPC backend (install-llama-server.sh --backend rpc)
            properties.put("quarkus.rocm.binary", rpcLlamaServer());
        }
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors().addDiscoveredConverters()
                .addSystemSources()
                .withMapping(RocmRuntimeConfig.class).withMapping(RocmBuildTimeConfig.class)
                .withSources(new PropertiesConfigSource(properties, page, 500)).build();
        RocmRuntimeConfig runtime = config.getConfigMapping(RocmRuntimeConfig.class);
        config.getConfigMapping(RocmBuildTimeConfig.class);
        List<ServerSpec> specs = ServerSpecs.from(runtime, Map.of());
        ServerSpecs.limits(runtime, specs);
    }
}
