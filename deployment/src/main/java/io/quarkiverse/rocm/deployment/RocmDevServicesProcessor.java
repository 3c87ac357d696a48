package io.quarkiverse.rocm.deployment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.quarkiverse.rocm.runtime.process.BinaryLocator;
import io.quarkiverse.rocm.runtime.process.LlamaServerException;
import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkus.deployment.IsNormal;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.RunTimeConfigurationDefaultBuildItem;
import io.quarkus.deployment.dev.devservices.DevServicesConfig;
import io.quarkus.deployment.pkg.builditem.OutputTargetBuildItem;

/**
 * Zero configuration in dev and test mode: a llama-server binary is installed when none is found, and the built-in
 * tiny test model is served when no model is configured. Production builds never do either, nor does a build with
 * {@code quarkus.devservices.enabled=false} or {@code quarkus.rocm.devservices.enabled=false}.
 */
class RocmDevServicesProcessor {

    private static final Logger LOG = Logger.getLogger(RocmDevServicesProcessor.class);
    static final String INSTALLER = "install-llama-server.sh";

    static class Enabled implements BooleanSupplier {
        RocmBuildTimeConfig config;

        @Override
        public boolean getAsBoolean() {
            return config.devservices().enabled();
        }
    }

    @BuildStep(onlyIfNot = IsNormal.class, onlyIf = { DevServicesConfig.Enabled.class, Enabled.class })
    void zeroConfiguration(ConfiguredModelsBuildItem models, OutputTargetBuildItem target,
            BuildProducer<RunTimeConfigurationDefaultBuildItem> defaults) {
        Config config = ConfigProvider.getConfig();
        if (!models.any()) {
            Path model = target.getOutputDirectory().resolve("quarkus-rocm").resolve("tiny-llama.gguf");
            try {
                TinyModel.defaults().ensure(model);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot write the built-in tiny test model to " + model, e);
            }
            LOG.warnf("No model configured (quarkus.rocm.model.path): serving the built-in tiny test model %s, which"
                    + " answers everything with one sentence. Set quarkus.rocm.model.path to a GGUF model.", model);
            defaults.produce(new RunTimeConfigurationDefaultBuildItem("quarkus.rocm.model.path", model.toString()));
            // the tiny model generates ~8000 tokens/s on one thread; more threads only fight the JVM for cores
            defaults.produce(new RunTimeConfigurationDefaultBuildItem("quarkus.rocm.threads", "1"));
        }
        ensureBinary(config);
    }

    private static void ensureBinary(Config config) {
        Optional<Path> configured = config.getOptionalValue("quarkus.rocm.binary", Path.class);
        Path installDir = config.getOptionalValue("quarkus.rocm.install-dir", Path.class).orElse(defaultInstallDir());
        try {
            BinaryLocator.locate(configured, System.getenv(), installDir);
            return;
        } catch (LlamaServerException e) {
            if (configured.isPresent() || System.getenv(BinaryLocator.ENV_VARIABLE) != null) {
                return; // an explicit setting is wrong: the runtime reports it with the property's name
            }
        }
        LOG.infof("No llama-server found: installing Debian's llama.cpp build into %s (dev and test mode only)",
                installDir);
        install(installDir);
    }

    /**
     * The default of {@code quarkus.rocm.install-dir} ({@code RocmRuntimeConfig#installDir}): runtime defaults are not
     * in the build's configuration, so the same rule is applied here.
     */
    static Path defaultInstallDir() {
        String cache = System.getenv("XDG_CACHE_HOME");
        return Path.of(cache != null && !cache.isBlank() ? cache : System.getProperty("user.home") + "/.cache")
                .resolve("quarkus-rocm/llama.cpp");
    }

    private static void install(Path installDir) {
        List<String> output = new ArrayList<>();
        try {
            Path script = Files.createTempFile("quarkus-rocm-", "-" + INSTALLER);
            try (InputStream in = RocmDevServicesProcessor.class.getResourceAsStream(INSTALLER)) {
                if (in == null) {
                    throw new IllegalStateException(INSTALLER + " is missing from the quarkus-rocm-deployment jar");
                }
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
            Process p = new ProcessBuilder("bash", script.toString(), "--prefix", installDir.toString(), "--no-reuse")
                    .redirectErrorStream(true).start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                    LOG.info(line);
                }
            }
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("The llama-server installer did not finish within 10 minutes");
            }
            Files.deleteIfExists(script);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("Installing llama-server failed (exit " + p.exitValue() + "): "
                        + String.join("\n", output) + "\nInstall llama-server yourself and set quarkus.rocm.binary.");
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run the llama-server installer: " + e.getMessage()
                    + ". Install llama-server yourself and set quarkus.rocm.binary.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while installing llama-server", e);
        }
    }
}
