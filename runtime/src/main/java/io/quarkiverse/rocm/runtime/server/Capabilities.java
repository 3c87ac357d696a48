package io.quarkiverse.rocm.runtime.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.quarkiverse.rocm.runtime.gguf.GgufMetadata;
import io.quarkiverse.rocm.runtime.spec.LocalSpec;
import io.quarkiverse.rocm.runtime.spec.ServerSpec;

/**
 * What a model can do, in Ollama's words ({@code /api/show}'s {@code capabilities}): {@code completion},
 * {@code tools}, {@code vision}, {@code embedding}, {@code rerank}, {@code thinking}, {@code insert}. From the
 * configuration (an embedding model, a reranker), what llama-server said once the model was loaded ({@code /props}:
 * {@code chat_template_caps}, {@code modalities}) and, before that, the GGUF (its chat template, its fill-in-the-middle
 * tokens).
 */
public final class Capabilities {

    private Capabilities() {
    }

    /** The model's capabilities, in that order. */
    public static List<String> of(ModelServer s) {
        ServerSpec spec = s.spec();
        if (spec.embeddings()) {
            return List.of("embedding");
        }
        if (spec.reranking()) {
            return List.of("rerank");
        }
        Optional<ServerProps> props = s.props();
        Optional<GgufMetadata> gguf = spec instanceof LocalSpec local ? Optional.of(local.model()) : Optional.empty();
        String template = gguf.flatMap(GgufMetadata::chatTemplate).orElse("");
        List<String> can = new ArrayList<>(List.of("completion"));
        // loaded: what llama.cpp's analysis of the template found; before: whether the template renders tools at all
        if (props.map(p -> p.caps().canCallTools()).orElse(template.contains("tools"))) {
            can.add("tools");
        }
        if (s.visionProblem().isEmpty()) {
            can.add("vision");
        }
        if (thinks(template)) {
            can.add("thinking");
        }
        if (gguf.map(m -> m.values().containsKey("tokenizer.ggml.fim_pre_token_id")
                && m.values().containsKey("tokenizer.ggml.fim_suf_token_id")).orElse(false)) {
            can.add("insert");
        }
        return can;
    }

    /** A template that renders reasoning: a think block, or a switch for it. */
    static boolean thinks(String template) {
        String t = template.toLowerCase(Locale.ROOT);
        return t.contains("<think>") || t.contains("enable_thinking") || t.contains("reasoning_content");
    }
}
