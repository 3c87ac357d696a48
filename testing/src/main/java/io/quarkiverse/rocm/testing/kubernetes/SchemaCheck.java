package io.quarkiverse.rocm.testing.kubernetes;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One object against its OpenAPI definition, as an API server decodes it with strict field validation (kubectl's
 * default since 1.27): unknown fields, wrong types, values outside an enum, missing required fields, and two items of
 * a list with the same key where the list is a map ({@code x-kubernetes-list-type: map}, keyed by
 * {@code x-kubernetes-list-map-keys}; an absent key counts with its schema default, as the server defaults before it
 * validates) or the same item twice in a set.
 */
final class SchemaCheck {

    private static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
    // resource.Quantity's grammar (apimachinery pkg/api/resource/quantity.go)
    private static final Pattern QUANTITY_TEXT = Pattern
            .compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?");

    private final KubernetesSchema schema;
    private final List<String> problems;
    private final Set<String> optional;

    /**
     * @param optional required fields allowed to be absent, as {@code Definition.field} (Knative fills a probe's
     *        port itself)
     */
    SchemaCheck(KubernetesSchema schema, List<String> problems, Set<String> optional) {
        this.schema = schema;
        this.problems = problems;
        this.optional = optional;
    }

    /** Checks {@code node} at {@code path} against the definition named {@code definition}. */
    void check(JsonNode node, String definition, String path) {
        check(node, schema.definition(definition), definition, path);
    }

    private void check(JsonNode node, JsonNode s, String definition, String path) {
        if (s.has("$ref")) {
            String ref = s.get("$ref").asText();
            String name = ref.substring(ref.lastIndexOf('/') + 1);
            check(node, schema.resolve(ref), name, path);
            return;
        }
        if (node == null || node.isNull() || node.isMissingNode()
                || s.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
            return;
        }
        if (QUANTITY.equals(definition)) {
            if (!(node.isNumber() || node.isTextual() && QUANTITY_TEXT.matcher(node.asText()).matches())) {
                problems.add(path + ": " + node + " is not a quantity");
            }
            return;
        }
        if ("int-or-string".equals(s.path("format").asText())) {
            if (!(node.isIntegralNumber() || node.isTextual())) {
                problems.add(path + ": " + node + " is neither an integer nor a string");
            }
            return;
        }
        switch (s.path("type").asText("object")) {
            case "object" -> object(node, s, definition, path);
            case "array" -> array(node, s, path);
            case "string" -> {
                if (!node.isTextual()) {
                    problems.add(path + ": " + node + " is not a string");
                } else if (s.has("enum") && !contains(s.get("enum"), node)) {
                    problems.add(path + ": " + node + " is not one of " + s.get("enum"));
                }
            }
            case "integer" -> expect(node.isIntegralNumber(), node, "an integer", path);
            case "number" -> expect(node.isNumber(), node, "a number", path);
            case "boolean" -> expect(node.isBoolean(), node, "a boolean", path);
            default -> problems.add(path + ": the schema's type " + s.path("type") + " is not known to this check");
        }
    }

    private void object(JsonNode node, JsonNode s, String definition, String path) {
        if (!node.isObject()) {
            problems.add(path + ": " + node + " is not an object");
            return;
        }
        JsonNode properties = s.path("properties");
        JsonNode additional = s.path("additionalProperties");
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            if (properties.has(field.getKey())) {
                check(field.getValue(), properties.get(field.getKey()), definition, at);
            } else if (additional.isObject()) {
                check(field.getValue(), additional, definition, at);
            } else if (!properties.isMissingNode()) {
                problems.add(at + ": unknown field \"" + field.getKey() + "\" (" + definition + ")");
            }
        }
        for (JsonNode required : s.path("required")) {
            String name = required.asText();
            JsonNode value = node.get(name);
            if ((value == null || value.isNull()) && !optional.contains(shortName(definition) + "." + name)) {
                problems.add(path + ": required field \"" + name + "\" is missing (" + definition + ")");
            }
        }
    }

    private void array(JsonNode node, JsonNode s, String path) {
        if (!node.isArray()) {
            problems.add(path + ": " + node + " is not a list");
            return;
        }
        String listType = s.path("x-kubernetes-list-type").asText();
        JsonNode items = s.path("items");
        JsonNode itemSchema = items.has("$ref") ? schema.resolve(items.get("$ref").asText()) : items;
        Set<List<String>> seen = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String at = path + "[" + i + "]";
            check(node.get(i), items, null, at);
            List<String> key = new ArrayList<>();
            if ("map".equals(listType)) {
                for (JsonNode k : s.path("x-kubernetes-list-map-keys")) {
                    JsonNode v = node.get(i).get(k.asText());
                    key.add(k.asText() + "=" + (v == null || v.isNull()
                            ? itemSchema.path("properties").path(k.asText()).path("default").asText("")
                            : v.asText()));
                }
            } else if ("set".equals(listType)) {
                key.add(node.get(i).toString());
            } else {
                continue;
            }
            if (!seen.add(key)) {
                problems.add(at + ": duplicate " + String.join(", ", key) + " (a list-" + listType + " keyed by "
                        + ("map".equals(listType) ? s.path("x-kubernetes-list-map-keys") : "its items")
                        + ": the API server refuses it as not unique)");
            }
        }
    }

    private void expect(boolean ok, JsonNode node, String what, String path) {
        if (!ok) {
            problems.add(path + ": " + node + " is not " + what);
        }
    }

    private static boolean contains(JsonNode values, JsonNode value) {
        for (JsonNode v : values) {
            if (v.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static String shortName(String definition) {
        return definition == null ? "" : definition.substring(definition.lastIndexOf('.') + 1);
    }
}
