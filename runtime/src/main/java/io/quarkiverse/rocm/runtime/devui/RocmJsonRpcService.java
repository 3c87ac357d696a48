package io.quarkiverse.rocm.runtime.devui;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import jakarta.enterprise.inject.Default;
import jakarta.inject.Inject;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import io.quarkiverse.langchain4j.ModelName;
import io.quarkiverse.rocm.runtime.config.RocmRuntimeConfig;
import io.quarkiverse.rocm.runtime.langchain4j.RocmChatModel;
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.quarkus.arc.Arc;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The Dev UI's backend (JSON-RPC over the Dev UI's web socket): the models' state, live; a restart action; a streamed
 * chat with time to first token and tokens per second; the last exchanges, live; each model's llama-server output;
 * the model cache, and a pull of a model by name into it.
 */
public class RocmJsonRpcService {

    /** How often the models are sent again without a state change (VRAM, canary latency). */
    static final Duration REFRESH = Duration.ofSeconds(5);

    @Inject
    ModelServers servers;

    @Inject
    RecentExchanges exchanges;

    /** Every model, in configuration order. */
    public List<ModelView> getModels() {
        List<ModelView> out = new ArrayList<>();
        for (ModelServer s : servers.all()) {
            out.add(ModelView.of(s, servers.scheduler(), servers.pullProgress(s.name())));
        }
        return out;
    }

    /** The card's label: how many models are ready. */
    public String getReadyLabel() {
        long ready = servers.all().stream().filter(s -> s.state() == ModelServer.State.READY).count();
        return ready + "/" + servers.all().size() + " ready";
    }

    /** The models now, then again at every state change of any of them, and every few seconds. */
    public Multi<List<ModelView>> streamModels() {
        Multi<List<ModelView>> changes = Multi.createFrom().emitter(emitter -> {
            // listeners run under the changing server's lock: build the view elsewhere
            ModelServer.Listener listener = (server, from, to, why) -> Infrastructure.getDefaultExecutor()
                    .execute(() -> emitter.emit(getModels()));
            for (ModelServer s : servers.all()) {
                s.addListener(listener);
            }
            emitter.onTermination(() -> servers.all().forEach(s -> s.removeListener(listener)));
            emitter.emit(getModels());
        });
        Multi<List<ModelView>> ticks = Multi.createFrom().ticks().every(REFRESH).map(t -> getModels());
        // a pull's progress changes no state: sent every second while one runs
        Multi<List<ModelView>> pulls = Multi.createFrom().ticks().every(Duration.ofSeconds(1))
                .filter(t -> !servers.puller().active().isEmpty()).map(t -> getModels());
        return Multi.createBy().merging().streams(changes, ticks, pulls);
    }

    /** The files in the model cache ({@code quarkus.rocm.hf.cache}) with their sizes. */
    public List<CacheView.File> getCache() {
        return CacheView.files(servers.puller());
    }

    /** The pulls in progress. */
    public List<CacheView.Pull> getPulls() {
        return CacheView.pulls(servers.puller());
    }

    /** Pulls a model by name ({@code owner/repo:QUANT}) into the cache; completes saying where it is, or why not. */
    public CompletableFuture<String> pull(String reference) {
        return CacheView.pull(servers.puller(), reference);
    }

    /** Restarts a model's llama-server; completes with its state once it is ready again (or failed). */
    public CompletableFuture<String> restart(String name) {
        ModelServer s = servers.require(name);
        return s.restart("asked for in the Dev UI").handle((endpoint, failure) -> failure == null
                ? "restarted: pid " + endpoint.pid() + ", port " + endpoint.port()
                : "restart failed: " + s.reason());
    }

    /** Loads a model through the scheduler (making room as a request would); completes once it is loaded. */
    public CompletableFuture<String> load(String name) {
        if (!servers.require(name).loadable()) {
            return CompletableFuture.completedFuture("served by remote replicas: not loaded by this application");
        }
        return servers.scheduler().load(name).handle((ok, failure) -> failure == null ? "loaded"
                : "load failed: " + (failure.getCause() != null ? failure.getCause() : failure).getMessage());
    }

    /** Unloads a model through the scheduler; one serving requests is not interrupted. */
    public CompletableFuture<String> unload(String name) {
        if (!servers.require(name).loadable()) {
            return CompletableFuture.completedFuture("served by remote replicas: not unloaded by this application");
        }
        return servers.scheduler().unload(name).handle((ok, failure) -> failure == null ? "unloaded"
                : "not unloaded: " + (failure.getCause() != null ? failure.getCause() : failure).getMessage());
    }

    /** Deletes a model's saved prompt caches ({@code kv-cache.hibernate}): its next start evaluates prompts anew. */
    public String dropCaches(String name) {
        return servers.require(name).hibernator().map(h -> "deleted " + (h.drop() >> 10) + " KiB of saved prompt caches")
                .orElse("model '" + name + "' saves no prompt caches (kv-cache.hibernate is off)");
    }

    /** The last exchanges with the models (the API's and the chat model's), the newest first. */
    public List<RecentExchanges.Row> getExchanges() {
        return exchanges.rows();
    }

    /** Each exchange as it ends. */
    public Multi<RecentExchanges.Row> streamExchanges() {
        return exchanges.live();
    }

    /** The last lines of a model's llama-server output, across its restarts. */
    public List<String> getLogs(String name) {
        return servers.require(name).output().lines();
    }

    /** New lines of a model's llama-server output as they are written. */
    public Multi<String> streamLogs(String name) {
        ModelServer s = servers.require(name);
        return Multi.createFrom().emitter(emitter -> {
            Consumer<String> listener = emitter::emit;
            s.output().addListener(listener);
            emitter.onTermination(() -> s.output().removeListener(listener));
        });
    }

    /**
     * Streams a chat answer from a model: {@code token} events with the text, then one {@code done} event with the
     * time to first token, tokens per second (as this application saw them, and as llama-server measured them) and
     * the finish reason, or one {@code error} event. Cancelling the subscription stops the generation.
     *
     * @param name a model's configuration name, or one of its LoRA adapters'
     * @param image an image the message shows, as a {@code data:} URI, or null
     */
    public Multi<ChatEvent> chat(String name, String system, String message, Double temperature, Integer maxTokens,
            String image) {
        ModelServer server = servers.byAdapter(name).orElseGet(() -> servers.require(name));
        if (server.spec().embeddings()) {
            return Multi.createFrom().item(ChatEvent.error("model '" + name + "' is an embedding model: it cannot chat"));
        }
        List<ChatMessage> messages = new ArrayList<>();
        if (system != null && !system.isBlank()) {
            messages.add(SystemMessage.from(system));
        }
        String text = message == null ? "" : message;
        if (image == null || image.isBlank()) {
            messages.add(UserMessage.from(text));
        } else {
            messages.add(UserMessage.from(TextContent.from(text), image(image)));
        }
        ChatRequest request = ChatRequest.builder().messages(messages).parameters(ChatRequestParameters.builder()
                .temperature(temperature).maxOutputTokens(maxTokens).build()).build();
        RocmChatModel model = RocmJsonRpcService.chatModel(name);
        return Multi.createFrom().emitter(emitter -> new PlaygroundChat(emitter).start(model, request));
    }

    /** An image given as a {@code data:} URI ({@code data:image/png;base64,...}), or as a URL. */
    static ImageContent image(String uri) {
        if (uri.startsWith("data:") && uri.contains(";base64,")) {
            String mime = uri.substring("data:".length(), uri.indexOf(";base64,"));
            return ImageContent.from(uri.substring(uri.indexOf(";base64,") + ";base64,".length()), mime);
        }
        return ImageContent.from(uri);
    }

    static RocmChatModel chatModel(String name) {
        return RocmRuntimeConfig.DEFAULT_MODEL.equals(name)
                ? Arc.container().select(RocmChatModel.class, Default.Literal.INSTANCE).get()
                : Arc.container().select(RocmChatModel.class, ModelName.Literal.of(name)).get();
    }
}
