package io.quarkiverse.rocm.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.quarkiverse.rocm.testing.TinyAdapter;
import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkiverse.rocm.testing.TinyProjector;
import io.quarkiverse.rocm.testing.TinyReranker;

/**
 * The files a page's configuration names, made real under a folder of the test's: every absolute path moves below it,
 * a GGUF of the kind its name says is written there (a reranker, a projector, a LoRA adapter of the tiny model, or the
 * tiny model itself), a folder is created (a {@code models-dir} gets a model), and {@code ${NAME}} references get a
 * value. What the page says about each setting is left as it is.
 */
public final class ExampleFiles {

    static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][\\w.-]*)}");

    private ExampleFiles() {
    }

    public static Map<String, String> under(Path root, Map<String, String> properties) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : properties.entrySet()) {
            List<String> values = new ArrayList<>();
            for (String value : e.getValue().split(",", -1)) {
                values.add(value.startsWith("/") ? real(root, e.getKey(), value) : value);
            }
            out.put(e.getKey(), String.join(",", values));
            Matcher m = REFERENCE.matcher(e.getValue());
            while (m.find()) {
                out.putIfAbsent(m.group(1), "example-" + m.group(1).toLowerCase());
            }
        }
        return out;
    }

    private static String real(Path root, String key, String path) {
        Path file = root.resolve(path.substring(1));
        try {
            if (path.endsWith(".gguf")) {
                Files.createDirectories(file.getParent());
                if (!Files.exists(file)) {
                    Files.write(file, gguf(file.getFileName().toString()));
                }
            } else {
                Files.createDirectories(file);
                if (key.endsWith("models-dir")) {
                    TinyModel.defaults().ensure(file.resolve("tiny-llama.gguf"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file.toString();
    }

    static byte[] gguf(String name) {
        if (name.startsWith("mmproj")) {
            return TinyProjector.toByteArray();
        }
        if (name.contains("rerank")) {
            return TinyReranker.toByteArray();
        }
        if (name.contains("lora")) {
            return TinyAdapter.of(TinyModel.defaults(), 1).toByteArray();
        }
        return TinyModel.defaults().toByteArray();
    }
}
