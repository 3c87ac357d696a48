package io.quarkiverse.rocm.runtime.spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.quarkiverse.rocm.runtime.config.DraftConfig;
import io.quarkiverse.rocm.runtime.config.ModelConfig;
import io.quarkiverse.rocm.runtime.gguf.GgufException;
import io.quarkiverse.rocm.runtime.gguf.GgufMetadata;
import io.quarkiverse.rocm.runtime.gguf.GgufReader;
import io.quarkiverse.rocm.runtime.gpu.VramPreflight;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * A model's speculative decoding: its draft model (checked as a GGUF, planned in memory) or a draft-free method, as
 * llama-server arguments chosen by what the installed build offers. Builds since llama.cpp's refactoring of its
 * speculative parameters take {@code --spec-type} and {@code --spec-draft-*} (and refuse the old {@code --draft-max});
 * older ones take {@code -md} and {@code --draft-max}, {@code --draft-min}, {@code --draft-p-min}, and have no
 * draft-free methods. Which a build is, its {@code --help} says.
 *
 * @param arguments llama-server's arguments for it (none without speculation)
 * @param draft the draft model's GGUF, when there is one
 */
record Speculation(List<String> arguments, Optional<GgufMetadata> draft) {

    static final Speculation NONE = new Speculation(List.of(), Optional.empty());
    private static final Pattern TYPES = Pattern.compile("--spec-type\\s+\\[?([a-z0-9,_-]+)");

    /**
     * @param help the binary's {@code --help}, read only when speculation is configured
     * @param draftFile the draft model's file ({@code draft.model.path}, or pulled from {@code draft.hf-repo})
     */
    static Speculation of(String name, ModelConfig m, java.util.function.Supplier<String> help,
            java.util.function.Supplier<Optional<Path>> draftFile) {
        DraftConfig d = m.draft();
        Optional<Path> draftPath = draftFile.get();
        Optional<String> type = m.speculative().map(t -> t.trim().toLowerCase(Locale.ROOT)).filter(t -> !t.isEmpty());
        if (draftPath.isEmpty() && type.isEmpty()) {
            if (d.max().isPresent() || d.min().isPresent() || d.pMin().isPresent() || d.gpuLayers().isPresent()) {
                throw new ConfigurationException(ServerSpec.property(name, "draft.*") + " is set but "
                        + ServerSpec.property(name, "draft.model.path") + " is not: set the draft model's GGUF (or "
                        + ServerSpec.property(name, "draft.hf-repo") + ").",
                        Set.of(ServerSpec.property(name, "draft.model.path")));
            }
            return NONE;
        }
        String text = help.get();
        boolean current = text.contains("--spec-draft-n-max");
        boolean old = !current && text.contains("--draft-max");
        if (!current && !old) {
            throw new ConfigurationException("Speculative decoding is configured for model '" + name + "' but the"
                    + " installed llama-server has no draft options (neither --spec-draft-n-max nor --draft-max in its"
                    + " --help): install a newer llama.cpp.", Set.of(ServerSpec.property(name, "speculative")));
        }
        List<String> args = new ArrayList<>();
        Optional<GgufMetadata> draft = Optional.empty();
        String method = type.orElse("draft-simple");
        if (current) {
            List<String> methods = methods(text);
            if (!methods.isEmpty() && !methods.contains(method)) {
                throw new ConfigurationException(ServerSpec.property(name, "speculative") + "=" + method + " is not a"
                        + " speculative method of the installed llama-server: use one of " + String.join(", ", methods)
                        + ".", Set.of(ServerSpec.property(name, "speculative")));
            }
        } else if (type.isPresent() && !method.equals("draft-simple")) {
            throw new ConfigurationException(ServerSpec.property(name, "speculative") + "=" + method + " needs a"
                    + " llama-server with --spec-type; the installed one only drafts with a draft model"
                    + " (draft.model.path). Install a newer llama.cpp.", Set.of(ServerSpec.property(name, "speculative")));
        }
        boolean needsDraft = method.startsWith("draft-") && !method.equals("draft-mtp");
        if (needsDraft && draftPath.isEmpty()) {
            throw new ConfigurationException(ServerSpec.property(name, "speculative") + "=" + method + " needs a draft"
                    + " model: set " + ServerSpec.property(name, "draft.model.path") + ", or choose a method without one"
                    + " (ngram-simple, ngram-map-k, ngram-mod, ngram-cache).",
                    Set.of(ServerSpec.property(name, "draft.model.path")));
        }
        if (draftPath.isPresent()) {
            Path file = draftPath.get().toAbsolutePath();
            String property = ServerSpec.property(name, "draft.model.path");
            if (!Files.isRegularFile(file)) {
                throw new ConfigurationException(property + "=" + file + ": no such file. Point it at the draft"
                        + " model's GGUF.", Set.of(property));
            }
            try {
                draft = Optional.of(GgufReader.read(file));
            } catch (GgufException e) {
                throw new ConfigurationException("Cannot use the draft model of " + property + ": " + e.getMessage()
                        + ". Point it at a GGUF model file.", Set.of(property));
            }
            args.addAll(List.of(current ? "--spec-draft-model" : "-md", file.toString()));
        }
        if (current) {
            args.addAll(List.of("--spec-type", method));
        }
        d.max().ifPresent(n -> args.addAll(List.of(current ? "--spec-draft-n-max" : "--draft-max", Integer.toString(n))));
        d.min().ifPresent(n -> args.addAll(List.of(current ? "--spec-draft-n-min" : "--draft-min", Integer.toString(n))));
        d.pMin().ifPresent(p -> args.addAll(List.of(current ? "--spec-draft-p-min" : "--draft-p-min",
                Double.toString(p))));
        d.gpuLayers().ifPresent(l -> args.addAll(List.of("-ngld", l)));
        return new Speculation(List.copyOf(args), draft);
    }

    /** The methods {@code --spec-type} lists in the help, or none when it cannot be read. */
    static List<String> methods(String help) {
        Matcher m = TYPES.matcher(help);
        return m.find() ? List.of(m.group(1).split(",")) : List.of();
    }

    /** The model's estimate with the draft's weights and its KV cache for {@code kvTokens} tokens added. */
    VramPreflight.Estimate plus(VramPreflight.Estimate model, long kvTokens) {
        return draft.map(g -> new VramPreflight.Estimate(model.weights() + g.fileSize(),
                model.kvCache() + g.kvBytesPerToken().orElse(0) * kvTokens, model.headroom(), model.contextTokens()))
                .orElse(model);
    }
}
