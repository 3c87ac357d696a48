package io.quarkiverse.rocm.runtime.langchain4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonReferenceSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;

/** LangChain4j's JSON schema elements as standard JSON Schema, which llama-server turns into a grammar. */
final class JsonSchemas {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private JsonSchemas() {
    }

    static ObjectNode toJson(JsonSchemaElement element, ObjectMapper mapper) {
        if (element instanceof JsonObjectSchema o) {
            ObjectNode n = typed("object", o.description());
            if (o.properties() != null && !o.properties().isEmpty()) {
                ObjectNode props = n.putObject("properties");
                for (Map.Entry<String, JsonSchemaElement> e : o.properties().entrySet()) {
                    props.set(e.getKey(), toJson(e.getValue(), mapper));
                }
            }
            if (o.required() != null && !o.required().isEmpty()) {
                ArrayNode req = n.putArray("required");
                o.required().forEach(req::add);
            }
            if (o.additionalProperties() != null) {
                n.put("additionalProperties", o.additionalProperties());
            }
            if (o.definitions() != null && !o.definitions().isEmpty()) {
                ObjectNode defs = n.putObject("$defs");
                o.definitions().forEach((k, v) -> defs.set(k, toJson(v, mapper)));
            }
            return n;
        }
        if (element instanceof JsonArraySchema a) {
            ObjectNode n = typed("array", a.description());
            if (a.items() != null) {
                n.set("items", toJson(a.items(), mapper));
            }
            return n;
        }
        if (element instanceof JsonAnyOfSchema any) {
            ObjectNode n = F.objectNode();
            if (any.description() != null) {
                n.put("description", any.description());
            }
            ArrayNode list = n.putArray("anyOf");
            any.anyOf().forEach(s -> list.add(toJson(s, mapper)));
            return n;
        }
        if (element instanceof JsonEnumSchema e) {
            ObjectNode n = typed("string", e.description());
            ArrayNode values = n.putArray("enum");
            e.enumValues().forEach(values::add);
            return n;
        }
        if (element instanceof JsonStringSchema s) {
            return typed("string", s.description());
        }
        if (element instanceof JsonIntegerSchema i) {
            return typed("integer", i.description());
        }
        if (element instanceof JsonNumberSchema n) {
            return typed("number", n.description());
        }
        if (element instanceof JsonBooleanSchema b) {
            return typed("boolean", b.description());
        }
        if (element instanceof JsonNullSchema) {
            return typed("null", null);
        }
        if (element instanceof JsonReferenceSchema r) {
            ObjectNode n = F.objectNode();
            n.put("$ref", "#/$defs/" + r.reference());
            return n;
        }
        if (element instanceof JsonRawSchema raw) {
            try {
                return (ObjectNode) mapper.readTree(raw.schema());
            } catch (IOException | ClassCastException e) {
                throw new IllegalArgumentException("A raw JSON schema is not a JSON object: " + raw.schema(), e);
            }
        }
        throw new IllegalArgumentException("Unsupported JSON schema element " + element.getClass().getName());
    }

    private static ObjectNode typed(String type, String description) {
        ObjectNode n = F.objectNode();
        n.put("type", type);
        if (description != null) {
            n.put("description", description);
        }
        return n;
    }

    static String write(ObjectMapper mapper, Object node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
