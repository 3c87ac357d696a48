package io.quarkiverse.rocm.runtime.langchain4j;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.quarkiverse.rocm.runtime.client.LlamaServerClient;
import io.quarkiverse.rocm.runtime.json.Json;
import io.quarkiverse.rocm.runtime.spec.Adapters;
import io.vertx.core.buffer.Buffer;

/**
 * A LangChain4j chat model on the application's own llama-server: blocking ({@link ChatModel}) and streaming
 * ({@link StreamingChatModel}), with tools, JSON schema answers, reasoning, token usage, llama-server's timings, stop
 * sequences and cancellation ({@code StreamingHandle.cancel()} closes the connection, so llama-server stops
 * generating and frees the slot).
 * <p>
 * Inject it with {@code @Inject RocmChatModel} (named models: {@code @ModelName("name")}); it is also the {@code rocm}
 * provider of quarkus-langchain4j, so AI services use it without further configuration.
 */
public class RocmChatModel implements ChatModel, StreamingChatModel, TokenCountEstimator {

    private static final Logger LOG = Logger.getLogger(RocmChatModel.class);
    static final String PATH = "/v1/chat/completions";

    private final LlamaServerClient client;
    private final String modelName;
    private final ChatRequestParameters defaults;
    private final List<ChatModelListener> listeners;
    private final Duration timeout;
    private final boolean logRequests;
    private final boolean logResponses;
    private final boolean captureContent;

    protected RocmChatModel(Builder b) {
        if (b.client == null) {
            throw new IllegalArgumentException("a RocmChatModel needs the LlamaServerClient of a model server");
        }
        this.client = b.client;
        this.modelName = b.modelName != null ? b.modelName : b.client.server().spec().alias();
        this.defaults = b.defaultRequestParameters != null ? b.defaultRequestParameters
                : RocmChatRequestParameters.builder().build();
        this.listeners = List.copyOf(b.listeners);
        this.timeout = b.timeout;
        this.logRequests = b.logRequests;
        this.logResponses = b.logResponses;
        this.captureContent = b.captureContent;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The model's name in the API (its alias). */
    public String modelName() {
        return modelName;
    }

    /** The client of this model's llama-server. */
    public LlamaServerClient client() {
        return client;
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        Buffer body = body(request, false);
        LlamaServerClient.Response response = Errors.post(client, PATH, body, timeout,
                ChatRequests.asked(request, captureContent ? body.toString() : null), "RocmChatModel.chat()",
                "use the streaming chat instead");
        if (logResponses) {
            LOG.infof("llama-server response (%d): %s", response.status(), response.body());
        }
        Errors.requireOk(client, response);
        try {
            // the client parsed it, and reported its usage, when it was JSON
            return ChatRequests.fromJson(response.json() != null ? response.json()
                    : Json.MAPPER.readTree(response.body().getBytes()));
        } catch (IOException e) {
            throw new InternalServerException("llama-server '" + modelName + "' sent an answer that is not JSON: "
                    + response.body(), e);
        }
    }

    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        Buffer body;
        try {
            body = body(request, true);
        } catch (RuntimeException e) {
            handler.onError(e);
            return;
        }
        StreamingResponse response = new StreamingResponse(handler, Json.MAPPER, logResponses, captureContent);
        response.attach(client.stream(PATH, body, timeout.toMillis(),
                ChatRequests.asked(request, captureContent ? body.toString() : null), response));
    }

    private Buffer body(ChatRequest request, boolean stream) {
        boolean images = request.messages().stream().anyMatch(m -> m instanceof dev.langchain4j.data.message.UserMessage u
                && u.contents().stream().anyMatch(c -> c instanceof dev.langchain4j.data.message.ImageContent));
        if (images) {
            client.server().visionProblem().ifPresent(problem -> {
                throw new InvalidRequestException(problem);
            });
        }
        if (!request.toolSpecifications().isEmpty()) {
            client.server().toolsProblem().ifPresent(problem -> {
                throw new InvalidRequestException(problem);
            });
        }
        ObjectNode json = ChatRequests.toJson(request, modelName, stream, Json.MAPPER);
        Adapters adapters = client.server().spec().adapters();
        Map<String, Double> scales = request.parameters() instanceof RocmChatRequestParameters r && r.adapters() != null
                ? r.adapters()
                : Map.of();
        if (!adapters.isEmpty() || !scales.isEmpty()) {
            try {
                json.set("lora", adapters.field(modelName, scales));
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException(e.getMessage() + " Adapters are configured with "
                        + client.server().spec().property("lora.\"NAME\".path") + ".");
            }
        }
        String text = JsonSchemas.write(Json.MAPPER, json);
        if (logRequests) {
            LOG.infof("llama-server request: %s", text);
        }
        return Buffer.buffer(text);
    }

    /** The tokens of a text, from the model's own tokenizer (llama-server's {@code /tokenize}). */
    @Override
    public int estimateTokenCountInText(String text) {
        return new TokenCounts(client, timeout).text(text);
    }

    /** The tokens of one message as the model's chat template renders it for a request (generation prompt included). */
    @Override
    public int estimateTokenCountInMessage(ChatMessage message) {
        return new TokenCounts(client, timeout).messages(List.of(message));
    }

    /**
     * The tokens of a conversation as the model's chat template renders it for a request: exactly the
     * {@code prompt_tokens} it would cost, so {@code TokenWindowChatMemory} and RAG budgets count real tokens.
     */
    @Override
    public int estimateTokenCountInMessages(Iterable<ChatMessage> messages) {
        return new TokenCounts(client, timeout).messages(messages);
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return defaults;
    }

    @Override
    public List<ChatModelListener> listeners() {
        return listeners;
    }

    @Override
    public ModelProvider provider() {
        return ModelProvider.OTHER;
    }

    /** llama-server enforces JSON schemas with a grammar: the answer always parses. */
    @Override
    public Set<Capability> supportedCapabilities() {
        return Set.of(Capability.RESPONSE_FORMAT_JSON_SCHEMA);
    }

    @Override
    public String toString() {
        return "RocmChatModel[" + modelName + "]";
    }

    public static class Builder {
        private LlamaServerClient client;
        private String modelName;
        private ChatRequestParameters defaultRequestParameters;
        private List<ChatModelListener> listeners = List.of();
        private Duration timeout = Duration.ofMinutes(5);
        private boolean logRequests;
        private boolean logResponses;
        private boolean captureContent;

        public Builder client(LlamaServerClient client) {
            this.client = client;
            return this;
        }

        public Builder modelName(String modelName) {
            this.modelName = modelName;
            return this;
        }

        public Builder defaultRequestParameters(ChatRequestParameters parameters) {
            this.defaultRequestParameters = parameters;
            return this;
        }

        public Builder listeners(List<ChatModelListener> listeners) {
            this.listeners = listeners;
            return this;
        }

        /** Blocking calls: the whole answer; streaming: the longest silence. Waiting for a starting server counts. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder logRequests(boolean logRequests) {
            this.logRequests = logRequests;
            return this;
        }

        public Builder logResponses(boolean logResponses) {
            this.logResponses = logResponses;
            return this;
        }

        /** Whether the requests' and answers' content goes to the traces and the Dev UI (off by default). */
        public Builder captureContent(boolean captureContent) {
            this.captureContent = captureContent;
            return this;
        }

        public RocmChatModel build() {
            return new RocmChatModel(this);
        }
    }
}
