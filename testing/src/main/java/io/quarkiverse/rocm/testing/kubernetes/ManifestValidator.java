package io.quarkiverse.rocm.testing.kubernetes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Validates generated manifests the way an API server would before it stores them, as far as that can be done
 * without one: each object against the Kubernetes OpenAPI definitions ({@link SchemaCheck}: fields, types, enums,
 * required fields, unique list-map keys), its name, its pod template ({@link PodChecks}: mounts of defined volumes,
 * extended resources) and its selector against its template's labels.
 * <p>
 * Knative's {@code serving.knative.dev/v1} Service is a custom resource the document does not define: its template's
 * spec is checked as the PodSpec it embeds, with the fields Knative adds ({@code containerConcurrency},
 * {@code timeoutSeconds}, ...) set aside and a probe's port optional (Knative fills it with the serving port).
 */
public final class ManifestValidator {

    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private static final Pattern DNS_1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Set<String> KNATIVE_REVISION_FIELDS = Set.of("containerConcurrency", "timeoutSeconds",
            "responseStartTimeoutSeconds", "idleTimeoutSeconds");
    private static final Set<String> POD_TEMPLATE_KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet",
            "ReplicaSet", "Job", "DeploymentConfig");

    private ManifestValidator() {
    }

    /** The objects of a multi-document YAML file, such as {@code target/kubernetes/kubernetes.yml}. */
    public static List<JsonNode> read(Path yaml) throws IOException {
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class).readValues(Files.readString(yaml))) {
            while (it.hasNext()) {
                JsonNode o = it.next();
                if (o != null && !o.isNull() && !o.isEmpty()) {
                    objects.add(o);
                }
            }
        }
        return objects;
    }

    /** Every problem of every object of the file, each prefixed with the object's kind and name. */
    public static List<String> problems(Path yaml) throws IOException {
        List<String> problems = new ArrayList<>();
        for (JsonNode o : read(yaml)) {
            problems.addAll(problems(o));
        }
        return problems;
    }

    /** The problems of one object, each prefixed with its kind and name; empty when an API server would accept it. */
    public static List<String> problems(JsonNode object) {
        List<String> found = new ArrayList<>();
        String kind = object.path("kind").asText();
        String apiVersion = object.path("apiVersion").asText();
        String name = object.path("metadata").path("name").asText();
        KubernetesSchema schema = KubernetesSchema.get();
        JsonNode pod = null;
        if ("serving.knative.dev/v1".equals(apiVersion) && "Service".equals(kind)) {
            SchemaCheck check = new SchemaCheck(schema, found, Set.of("HTTPGetAction.port"));
            check.check(object.path("metadata"), "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "metadata");
            check.check(object.at("/spec/template/metadata"), "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
                    "spec.template.metadata");
            ObjectNode spec = object.at("/spec/template/spec").deepCopy();
            spec.remove(KNATIVE_REVISION_FIELDS);
            check.check(spec, "io.k8s.api.core.v1.PodSpec", "spec.template.spec");
            pod = spec;
        } else {
            Optional<String> definition = schema.definitionOf(apiVersion, kind);
            if (definition.isEmpty()) {
                found.add("no definition of " + apiVersion + " " + kind + " in the Kubernetes OpenAPI document");
            } else {
                new SchemaCheck(schema, found, Set.of()).check(object, definition.get(), "");
            }
            if (POD_TEMPLATE_KINDS.contains(kind)) {
                pod = object.at("/spec/template/spec");
                selector(object, found);
            } else if ("CronJob".equals(kind)) {
                pod = object.at("/spec/jobTemplate/spec/template/spec");
            } else if ("Pod".equals(kind)) {
                pod = object.path("spec");
            }
        }
        if (!("Service".equals(kind) ? DNS_1035_LABEL : DNS_SUBDOMAIN).matcher(name).matches()) {
            found.add("metadata.name: \"" + name + "\" is not a valid " + kind + " name");
        }
        if (pod != null && !pod.isMissingNode()) {
            new PodChecks(found).check(pod, "spec.template.spec");
        }
        return found.stream().map(p -> kind + " " + name + ": " + p).toList();
    }

    private static void selector(JsonNode object, List<String> found) {
        JsonNode labels = object.at("/spec/template/metadata/labels");
        JsonNode selector = object.at("/spec/selector");
        JsonNode match = selector.has("matchLabels") ? selector.get("matchLabels") : selector;
        for (Iterator<Map.Entry<String, JsonNode>> it = match.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> label = it.next();
            if (!label.getValue().isTextual()) {
                continue;
            }
            if (!label.getValue().equals(labels.get(label.getKey()))) {
                found.add("spec.selector: " + label.getKey() + "=" + label.getValue().asText()
                        + " does not match the template's labels " + labels);
            }
        }
    }
}
