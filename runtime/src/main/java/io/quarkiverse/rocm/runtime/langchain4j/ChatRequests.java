package io.quarkiverse.rocm.runtime.langchain4j;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.image.Image;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.quarkiverse.rocm.runtime.client.ExchangeObserver;

/** LangChain4j chat requests as llama-server {@code /v1/chat/completions} bodies, and answers back. */
final class ChatRequests {

    private ChatRequests() {
    }

    static ObjectNode toJson(ChatRequest request, String model, boolean stream, ObjectMapper mapper) {
        ObjectNode body = mapper.createObjectNode();
        body.put("model", model);
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage m : request.messages()) {
            messages.add(message(m, mapper));
        }
        if (stream) {
            body.put("stream", true);
            body.putObject("stream_options").put("include_usage", true);
        }
        ChatRequestParameters p = request.parameters();
        putIfSet(body, "temperature", p.temperature());
        putIfSet(body, "top_p", p.topP());
        putIfSet(body, "top_k", p.topK());
        putIfSet(body, "frequency_penalty", p.frequencyPenalty());
        putIfSet(body, "presence_penalty", p.presencePenalty());
        putIfSet(body, "max_tokens", p.maxOutputTokens());
        if (p.stopSequences() != null && !p.stopSequences().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            p.stopSequences().forEach(stop::add);
        }
        if (p.toolSpecifications() != null && !p.toolSpecifications().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolSpecification t : p.toolSpecifications()) {
                ObjectNode fn = tools.addObject().put("type", "function").putObject("function");
                fn.put("name", t.name());
                if (t.description() != null) {
                    fn.put("description", t.description());
                }
                JsonObjectSchema params = t.parameters();
                fn.set("parameters", params != null ? JsonSchemas.toJson(params, mapper)
                        : mapper.createObjectNode().put("type", "object").set("properties", mapper.createObjectNode()));
            }
            if (p.toolChoice() != null) {
                body.put("tool_choice", p.toolChoice().name().toLowerCase());
            }
        }
        ResponseFormat format = p.responseFormat();
        if (format != null && format.type() == ResponseFormatType.JSON) {
            ObjectNode rf = body.putObject("response_format");
            JsonSchema schema = format.jsonSchema();
            if (schema == null) {
                rf.put("type", "json_object");
            } else {
                rf.put("type", "json_schema");
                ObjectNode js = rf.putObject("json_schema");
                js.put("name", schema.name() != null ? schema.name() : "answer");
                js.put("strict", true);
                js.set("schema", JsonSchemas.toJson(schema.rootElement(), mapper));
            }
        }
        if (p instanceof RocmChatRequestParameters r) {
            putIfSet(body, "min_p", r.minP());
            putIfSet(body, "repeat_penalty", r.repeatPenalty());
            putIfSet(body, "repeat_last_n", r.repeatLastN());
            putIfSet(body, "seed", r.seed());
            putIfSet(body, "id_slot", r.slotId());
            putIfSet(body, "cache_prompt", r.cachePrompt());
            putIfSet(body, "grammar", r.grammar());
            putIfSet(body, "ignore_eos", r.ignoreEos());
            putIfSet(body, "reasoning_format", r.reasoningFormat());
            if (r.chatTemplateKwargs() != null) {
                body.set("chat_template_kwargs", mapper.valueToTree(r.chatTemplateKwargs()));
            }
        }
        return body;
    }

    private static void putIfSet(ObjectNode node, String key, Object value) {
        if (value instanceof Double d) {
            node.put(key, d);
        } else if (value instanceof Integer i) {
            node.put(key, i);
        } else if (value instanceof Long l) {
            node.put(key, l);
        } else if (value instanceof Boolean b) {
            node.put(key, b);
        } else if (value instanceof String s) {
            node.put(key, s);
        }
    }

    static ObjectNode message(ChatMessage message, ObjectMapper mapper) {
        ObjectNode m = mapper.createObjectNode();
        if (message instanceof SystemMessage s) {
            m.put("role", "system").put("content", s.text());
        } else if (message instanceof UserMessage u) {
            m.put("role", "user");
            if (u.hasSingleText()) {
                m.put("content", u.singleText());
            } else {
                ArrayNode parts = m.putArray("content");
                for (Content c : u.contents()) {
                    if (c instanceof TextContent t) {
                        parts.addObject().put("type", "text").put("text", t.text());
                    } else if (c instanceof ImageContent i) {
                        Image image = i.image();
                        String url = image.url() != null ? image.url().toString()
                                : "data:" + image.mimeType() + ";base64," + image.base64Data();
                        parts.addObject().put("type", "image_url").putObject("image_url").put("url", url);
                    } else {
                        throw new UnsupportedFeatureException("llama-server chat messages cannot hold "
                                + c.type() + " content");
                    }
                }
            }
        } else if (message instanceof AiMessage a) {
            m.put("role", "assistant");
            if (a.text() != null) {
                m.put("content", a.text());
            } else {
                m.putNull("content");
            }
            if (a.thinking() != null) {
                m.put("reasoning_content", a.thinking());
            }
            if (a.hasToolExecutionRequests()) {
                ArrayNode calls = m.putArray("tool_calls");
                for (ToolExecutionRequest r : a.toolExecutionRequests()) {
                    ObjectNode call = calls.addObject();
                    if (r.id() != null) {
                        call.put("id", r.id());
                    }
                    call.put("type", "function");
                    call.putObject("function").put("name", r.name()).put("arguments", r.arguments());
                }
            }
        } else if (message instanceof ToolExecutionResultMessage t) {
            m.put("role", "tool").put("content", t.text());
            if (t.id() != null) {
                m.put("tool_call_id", t.id());
            }
        } else {
            throw new UnsupportedFeatureException("llama-server cannot take " + message.type() + " messages");
        }
        return m;
    }

    /** A whole (not streamed) {@code chat.completion} answer. */
    static ChatResponse fromJson(JsonNode json) {
        JsonNode choice = json.path("choices").path(0);
        JsonNode message = choice.path("message");
        AiMessage.Builder ai = AiMessage.builder();
        String text = textOrNull(message.get("content"));
        String thinking = textOrNull(message.get("reasoning_content"));
        List<ToolExecutionRequest> calls = new ArrayList<>();
        for (JsonNode call : message.path("tool_calls")) {
            JsonNode fn = call.path("function");
            calls.add(ToolExecutionRequest.builder().id(textOrNull(call.get("id"))).name(fn.path("name").asText())
                    .arguments(fn.path("arguments").asText("{}")).build());
        }
        ai.text(text == null || (text.isEmpty() && !calls.isEmpty()) ? null : text).thinking(thinking);
        if (!calls.isEmpty()) {
            ai.toolExecutionRequests(calls);
        }
        return ChatResponse.builder().aiMessage(ai.build())
                .metadata(metadata(json, textOrNull(choice.get("finish_reason")), usage(json.get("usage")))).build();
    }

    /**
     * The application's own request (its chat model's), with the generation parameters it gave and, when captured,
     * its JSON.
     */
    static ExchangeObserver.Request asked(ChatRequest request, String content) {
        ChatRequestParameters p = request.parameters();
        return new ExchangeObserver.Request(ExchangeObserver.Request.APPLICATION, p.maxOutputTokens(), p.temperature(),
                p.topP(), content).inConversation(p instanceof RocmChatRequestParameters r ? r.conversation() : null);
    }

    static RocmChatResponseMetadata metadata(JsonNode json, String finishReason, TokenUsage usage) {
        return RocmChatResponseMetadata.builder().id(textOrNull(json.get("id"))).modelName(textOrNull(json.get("model")))
                .finishReason(finishReason(finishReason)).tokenUsage(usage).timings(timings(json.get("timings")))
                .build();
    }

    static TokenUsage usage(JsonNode usage) {
        if (usage == null || usage.isNull()) {
            return null;
        }
        return new TokenUsage(usage.path("prompt_tokens").asInt(), usage.path("completion_tokens").asInt(),
                usage.path("total_tokens").asInt());
    }

    static RocmChatResponseMetadata.Timings timings(JsonNode t) {
        if (t == null || t.isNull()) {
            return null;
        }
        return new RocmChatResponseMetadata.Timings(t.path("prompt_n").asInt(), t.path("prompt_ms").asDouble(),
                t.path("cache_n").asInt(), t.path("predicted_n").asInt(), t.path("predicted_ms").asDouble(),
                t.path("draft_n").asInt(), t.path("draft_n_accepted").asInt());
    }

    static FinishReason finishReason(String reason) {
        if (reason == null) {
            return null;
        }
        return switch (reason) {
            case "stop" -> FinishReason.STOP;
            case "length" -> FinishReason.LENGTH;
            case "tool_calls" -> FinishReason.TOOL_EXECUTION;
            case "content_filter" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.OTHER;
        };
    }

    static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

}
