package io.quarkiverse.rocm.runtime.langchain4j;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.langchain4j.internal.JsonSchemaElementUtils;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;

/** LangChain4j's JSON schema elements as standard JSON Schema, which llama-server turns into a grammar. */
final class JsonSchemas {

    private JsonSchemas() {
    }

    /** LangChain4j's own rendering ({@code JsonSchemaElementUtils.toMap}, not strict: llama-server needs no more). */
    static ObjectNode toJson(JsonSchemaElement element, ObjectMapper mapper) {
        return mapper.valueToTree(JsonSchemaElementUtils.toMap(element));
    }

    static String write(ObjectMapper mapper, Object node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
