package io.quarkiverse.rocm.runtime.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.quarkiverse.rocm.runtime.config.LoraConfig;
import io.quarkiverse.rocm.runtime.config.ModelConfig;
import io.quarkiverse.rocm.runtime.gguf.GgufException;
import io.quarkiverse.rocm.runtime.gguf.GgufMetadata;
import io.quarkiverse.rocm.runtime.gguf.GgufReader;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * A model's LoRA adapters ({@code quarkus.rocm."name".lora."adapter".*}): loaded with its llama-server
 * ({@code --lora-scaled FILE:0}, in name order, which is their {@code id}) and chosen per request with llama-server's
 * {@code lora} field. Every request names every adapter's scale (llama-server applies an adapter a request leaves out
 * at its command-line scale, 0 here), so a request for the base model sends them all at 0.
 */
public record Adapters(List<Adapter> list) {

    /** No adapters. */
    public static final Adapters NONE = new Adapters(List.of());

    /**
     * One adapter.
     *
     * @param name its name in the API
     * @param id its index in llama-server's {@code --lora} list
     * @param file its GGUF
     * @param scale the scale requests for it apply
     * @param bytes its size in memory (its file's)
     */
    public record Adapter(String name, int id, Path file, double scale, long bytes) {
    }

    public Adapters {
        list = List.copyOf(list);
    }

    /**
     * The adapters of model {@code model}, their files checked: GGUF LoRA adapters for {@code base}'s architecture
     * ({@code base} null: not known yet, the file of a model named by its Hugging Face repository is pulled later).
     */
    static Adapters of(String model, ModelConfig m, GgufMetadata base) {
        List<Adapter> out = new ArrayList<>();
        for (Map.Entry<String, LoraConfig> e : new TreeMap<>(m.lora()).entrySet()) {
            String property = ServerSpec.property(model, "lora.\"" + e.getKey() + "\".path");
            Path file = e.getValue().path().toAbsolutePath();
            String text = file.toString();
            if (text.contains(",") || text.contains(":")) { // llama-server's list separators
                throw new ConfigurationException(property + "=" + file + ": llama-server cannot take a path with ','"
                        + " or ':' in --lora. Move or link the adapter to a path without them.");
            }
            GgufMetadata meta;
            try {
                meta = GgufReader.read(file);
            } catch (GgufException e1) {
                throw new ConfigurationException("Cannot use the LoRA adapter of " + property + ": " + e1.getMessage()
                        + ". Point it at a GGUF adapter (llama.cpp's convert_lora_to_gguf.py writes one).", e1);
            }
            String type = meta.string("general.type").orElse("model");
            if (!"adapter".equals(type) || !"lora".equals(meta.string("adapter.type").orElse(""))) {
                throw new ConfigurationException(property + "=" + file + " is not a LoRA adapter (general.type="
                        + type + ", adapter.type=" + meta.string("adapter.type").orElse("absent") + "): point it at"
                        + " a GGUF LoRA adapter, or serve that file as a model of its own.");
            }
            String arch = meta.architecture().orElse("?");
            if (base != null && !arch.equals(base.architecture().orElse("?"))) {
                throw new ConfigurationException(property + "=" + file + " is an adapter for " + arch + " models, but"
                        + " model '" + model + "' is " + base.architecture().orElse("of an unknown architecture")
                        + ": use the adapter made for this model.");
            }
            double scale = e.getValue().scale();
            if (!Double.isFinite(scale)) {
                throw new ConfigurationException(ServerSpec.property(model, "lora.\"" + e.getKey() + "\".scale") + "="
                        + scale + " is not a number.");
            }
            out.add(new Adapter(e.getKey(), out.size(), file, scale, meta.fileSize()));
        }
        return new Adapters(out);
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    /** The adapter of this name. */
    public Optional<Adapter> named(String name) {
        return list.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    /** Their memory, in bytes. */
    public long bytes() {
        return list.stream().mapToLong(Adapter::bytes).sum();
    }

    /**
     * llama-server's arguments: each adapter, and no prompt cache in host memory, which could hand a prompt computed
     * under one adapter to a request for another (llama.cpp#30129; a slot's own cache is cleared when its adapters
     * change).
     */
    List<String> arguments() {
        List<String> args = new ArrayList<>();
        for (Adapter a : list) { // at scale 0: a request that names no adapter gets none
            args.add("--lora-scaled");
            args.add(a.file() + ":0");
        }
        if (!list.isEmpty()) {
            args.addAll(List.of("--cache-ram", "0"));
        }
        return args;
    }

    /**
     * The {@code lora} field of a request for model {@code requested}: that adapter at its scale (when it is one of
     * these), then the {@code scales} asked for by name, every other adapter at 0.
     *
     * @throws IllegalArgumentException naming the adapters there are, when {@code scales} names another
     */
    public ArrayNode field(String requested, Map<String, Double> scales) {
        for (String name : scales.keySet()) {
            if (named(name).isEmpty()) {
                throw new IllegalArgumentException("There is no LoRA adapter '" + name + "' on this model: "
                        + (list.isEmpty() ? "it has none" : "its adapters are " + names()) + ".");
            }
        }
        ArrayNode field = JsonNodeFactory.instance.arrayNode();
        for (Adapter a : list) {
            double scale = scales.getOrDefault(a.name(), a.name().equals(requested) ? a.scale() : 0.0);
            field.addObject().put("id", a.id()).put("scale", scale);
        }
        return field;
    }

    /** Their names. */
    public List<String> names() {
        return list.stream().map(Adapter::name).toList();
    }
}
