package io.quarkiverse.rocm.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkiverse.rocm.runtime.config.RocmRuntimeConfig;
import io.quarkiverse.rocm.runtime.spec.LocalSpec;
import io.quarkiverse.rocm.runtime.spec.ServerSpec;
import io.quarkiverse.rocm.runtime.spec.ServerSpecs;
import io.quarkiverse.rocm.testing.TinyModel;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Builds the runtime configuration from properties, as Quarkus does, and generates test models into target/. */
public final class TestSupport {

    private TestSupport() {
    }

    public static RocmRuntimeConfig config(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors().addDiscoveredConverters()
                .addSystemSources()
                .withMapping(RocmRuntimeConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 500)).build();
        return config.getConfigMapping(RocmRuntimeConfig.class);
    }

    /** The tiny model with {@code threads=1}, plus {@code more} properties. */
    public static Map<String, String> tinyModelProperties(String... more) {
        Map<String, String> p = new HashMap<>();
        p.put("quarkus.rocm.model.path", tinyModel().toString());
        p.put("quarkus.rocm.threads", "1");
        for (int i = 0; i + 1 < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return p;
    }

    public static List<ServerSpec> specs(Map<String, String> properties) {
        return ServerSpecs.from(config(properties), System.getenv());
    }

    /** The tiny model's spec, its llama-server on a Unix domain socket. */
    public static LocalSpec tinyUnixSpec(String... more) {
        Map<String, String> properties = tinyModelProperties(more);
        return (LocalSpec) ServerSpecs
                .from(config(properties), System.getenv(), true, ServerSpecs.puller(config(properties), System.getenv()))
                .get(0);
    }

    public static LocalSpec tinySpec(String... more) {
        return (LocalSpec) specs(tinyModelProperties(more)).get(0);
    }

    public static Path tinyModel() {
        return model("tiny.gguf", TinyModel.defaults());
    }

    public static synchronized Path model(String fileName, TinyModel model) {
        try {
            return model.ensure(Path.of("target", "test-models", fileName).toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a signal to a process with kill(1). */
    public static void signal(long pid, String signal) {
        try {
            Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
