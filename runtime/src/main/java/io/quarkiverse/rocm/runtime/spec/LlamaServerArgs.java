package io.quarkiverse.rocm.runtime.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.quarkiverse.rocm.runtime.config.ModelConfig;
import io.quarkiverse.rocm.runtime.rpc.RpcWorkers;

/** One local model's llama-server arguments, from its configuration (the address and key are added at each launch). */
final class LlamaServerArgs {

    private LlamaServerArgs() {
    }

    /**
     * @param kvTokens the KV cache's tokens: the context of every slot, or one context shared ({@code kv-unified})
     */
    static List<String> of(Path file, String alias, long kvTokens, int parallel, ModelConfig m, RpcWorkers workers,
            Speculation speculation, Adapters adapters, Projector projector) {
        List<String> args = new ArrayList<>(List.of("-m", file.toString(), "--alias", alias,
                "-c", Long.toString(kvTokens), "-np", Integer.toString(parallel),
                m.kvUnified() ? "--kv-unified" : "--no-kv-unified", "--metrics", "--no-webui", "--log-colors", "off"));
        m.threads().ifPresent(t -> args.addAll(List.of("-t", Integer.toString(t))));
        m.gpuLayers().ifPresent(l -> args.addAll(List.of("-ngl", l)));
        m.flashAttention().ifPresent(f -> args.addAll(List.of("-fa", f)));
        if (m.embeddings()) {
            args.add("--embeddings");
        }
        if (m.reranking()) {
            args.add("--reranking"); // embeddings with rank pooling
        }
        m.pooling().ifPresent(p -> args.addAll(List.of("--pooling", p)));
        if (!workers.isEmpty()) {
            args.addAll(List.of("--rpc", workers.argument()));
        }
        args.addAll(speculation.arguments());
        args.addAll(adapters.arguments());
        args.addAll(projector.arguments());
        m.args().ifPresent(args::addAll);
        return args;
    }
}
