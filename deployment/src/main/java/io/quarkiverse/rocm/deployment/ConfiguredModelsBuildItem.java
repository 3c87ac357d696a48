package io.quarkiverse.rocm.deployment;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.microprofile.config.Config;

import io.quarkus.builder.item.SimpleBuildItem;

/**
 * The models the build can see in the configuration ({@code quarkus.rocm.model.*} for the default model,
 * {@code quarkus.rocm."name".model.*} for named ones): which beans to create, and whether dev services must provide
 * a model. Scanned once; the runtime validates them again from the typed configuration.
 */
public final class ConfiguredModelsBuildItem extends SimpleBuildItem {

    private static final String PREFIX = "quarkus.rocm.";
    private static final String[] SUFFIXES = { "model.path", "model.dir", "model.file", "model.hf-repo", "urls" };
    /** The default model's groups whose keys end like a model's ({@code draft.model.path}). */
    private static final Set<String> MODEL_GROUPS = Set.of("draft", "lora", "chat-model");

    private final boolean defaultModel;
    private final boolean modelsDir;
    private final Set<String> named;
    private final boolean local;

    ConfiguredModelsBuildItem(boolean defaultModel, boolean modelsDir, Set<String> named, boolean local) {
        this.defaultModel = defaultModel;
        this.modelsDir = modelsDir;
        this.named = Set.copyOf(named);
        this.local = local;
    }

    static ConfiguredModelsBuildItem scan(Config config) {
        boolean defaultModel = false;
        boolean modelsDir = false;
        Set<String> named = new TreeSet<>();
        boolean local = false;
        for (String p : config.getPropertyNames()) {
            if (!p.startsWith(PREFIX) || unset(config, p)) {
                continue;
            }
            String rest = p.substring(PREFIX.length());
            if (rest.equals("models-dir")) {
                modelsDir = true;
            }
            List<String> keys = segments(rest);
            int size = keys.size();
            // a LoRA adapter is a model to callers: lora."adapter".path, "name".lora."adapter".path
            if (size >= 3 && keys.get(size - 1).equals("path") && keys.get(size - 3).equals("lora")
                    && size <= 4) {
                named.add(keys.get(size - 2));
                continue;
            }
            for (String suffix : SUFFIXES) {
                List<String> tail = List.of(suffix.split("\\."));
                boolean isDefault = keys.equals(tail);
                // "name".model.path; not the default model's groups (draft.model.path is the draft's file)
                boolean isNamed = size == tail.size() + 1 && keys.subList(1, size).equals(tail)
                        && !MODEL_GROUPS.contains(keys.get(0));
                if (isDefault) {
                    defaultModel = true;
                } else if (isNamed) {
                    named.add(keys.get(0));
                }
                if ((isDefault || isNamed) && !suffix.equals("urls")) {
                    local = true;
                }
            }
        }
        return new ConfiguredModelsBuildItem(defaultModel, modelsDir, named, local || modelsDir);
    }

    /**
     * Whether a property is set to nothing, as {@code %test.quarkus.rocm.model.hf-repo=} unsets the model for tests (an
     * empty value is no value). A value that refers to another property not given yet is set: the runtime says what is
     * missing.
     */
    static boolean unset(Config config, String name) {
        try {
            return config.getOptionalValue(name, String.class).isEmpty();
        } catch (java.util.NoSuchElementException e) {
            return false;
        }
    }

    /** A property name's segments, a quoted segment ({@code "my.model"}) as one, without its quotes. */
    static List<String> segments(String name) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : name.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '.' && !quoted) {
                out.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        out.add(current.toString());
        return out;
    }

    /** Whether the default model has a file configured. */
    public boolean defaultModel() {
        return defaultModel;
    }

    /** The named models, sorted. */
    public Set<String> named() {
        return named;
    }

    /** Whether a model is served by a llama-server this application starts (a file, or a models folder). */
    public boolean local() {
        return local;
    }

    /** Whether any model is configured, or a folder of them ({@code quarkus.rocm.models-dir}). */
    public boolean any() {
        return defaultModel || modelsDir || !named.isEmpty();
    }
}
