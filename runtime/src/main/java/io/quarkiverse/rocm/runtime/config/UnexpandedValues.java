package io.quarkiverse.rocm.runtime.config;

import java.util.NoSuchElementException;
import java.util.Set;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;

import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Finds model properties whose value is an expression that expands to nothing. SmallRye Config treats such an
 * optional property as unset, so a model configured with {@code ${project.build.directory}/model.gguf} (Maven resource
 * filtering, which dev mode's live reload does not apply) would otherwise be reported as not configured at all.
 */
public final class UnexpandedValues {

    private static final String PREFIX = "quarkus.rocm.";
    private static final Set<String> MODEL_KEYS = Set.of("model.path", "model.dir", "model.file");

    private UnexpandedValues() {
    }

    /** Throws a {@link ConfigurationException} naming the first model property whose expression does not expand. */
    public static void check(Config config) {
        for (String name : config.getPropertyNames()) {
            if (!name.startsWith(PREFIX) || MODEL_KEYS.stream().noneMatch(name::endsWith)) {
                continue;
            }
            String raw;
            String value;
            try {
                ConfigValue v = config.getConfigValue(name);
                raw = v.getRawValue();
                value = v.getValue();
            } catch (NoSuchElementException e) {
                raw = "(an expression)";
                value = null;
            }
            if (raw != null && raw.contains("${") && (value == null || value.isBlank())) {
                throw new ConfigurationException(name + "=" + raw + " expands to nothing: a property or environment"
                        + " variable it names is not set. Maven resource filtering is not applied when dev mode reloads"
                        + " application.properties; use an absolute path, a path relative to the working directory, or"
                        + " an expression with a default (${VAR:/models/model.gguf}).", Set.of(name));
            }
        }
    }
}
