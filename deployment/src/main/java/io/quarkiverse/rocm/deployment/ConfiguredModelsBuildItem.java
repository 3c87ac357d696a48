package io.quarkiverse.rocm.deployment;

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
            if (!p.startsWith(PREFIX)) {
                continue;
            }
            String rest = p.substring(PREFIX.length());
            if (rest.equals("models-dir")) {
                modelsDir = true;
            }
            for (String suffix : SUFFIXES) {
                if ((rest.equals(suffix) || rest.endsWith("." + suffix)) && !suffix.equals("urls")) {
                    local = true;
                }
                if (rest.equals(suffix)) {
                    defaultModel = true;
                } else if (rest.endsWith("." + suffix)) {
                    String name = rest.substring(0, rest.length() - suffix.length() - 1);
                    named.add(name.startsWith("\"") && name.endsWith("\"") ? name.substring(1, name.length() - 1) : name);
                }
            }
        }
        return new ConfiguredModelsBuildItem(defaultModel, modelsDir, named, local || modelsDir);
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
