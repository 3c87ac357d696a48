package io.quarkiverse.rocm.testing.kubernetes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Kubernetes API's OpenAPI (Swagger 2) definitions, as an API server knows them: the types of every field, the
 * required ones, the enums, and the list semantics ({@code x-kubernetes-list-type}, {@code x-kubernetes-list-map-keys})
 * by which it refuses duplicates.
 * <p>
 * The document is {@code openshift-generated.json} from {@code io.fabric8:kubernetes-model-validator} (Apache-2.0):
 * fabric8 generates it from the {@code k8s.io/api} Go types with kube-openapi, the generator of the API server's own
 * {@code api/openapi-spec}, so it carries the same extensions (its content matches Kubernetes 1.34: {@code
 * resource.v1}, {@code PodSpec.hostnameOverride}); it also holds the OpenShift and Prometheus operator types.
 */
public final class KubernetesSchema {

    /** Where the document is on the class path. */
    public static final String RESOURCE = "/openshift-generated.json";

    private static final KubernetesSchema INSTANCE = load();

    private final JsonNode definitions;

    private KubernetesSchema(JsonNode definitions) {
        this.definitions = definitions;
    }

    /** The document, read once. */
    public static KubernetesSchema get() {
        return INSTANCE;
    }

    private static KubernetesSchema load() {
        try (InputStream in = KubernetesSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path: add"
                        + " io.fabric8:kubernetes-model-validator to the test dependencies");
            }
            return new KubernetesSchema(new ObjectMapper().readTree(in).path("definitions"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The definition named {@code name} ({@code io.k8s.api.core.v1.PodSpec}); missing when there is none. */
    public JsonNode definition(String name) {
        return definitions.path(name);
    }

    /** The definition a {@code $ref} points at. */
    JsonNode resolve(String ref) {
        return definition(ref.substring(ref.lastIndexOf('/') + 1));
    }

    /**
     * The definition of an object of {@code apiVersion} and {@code kind}. The document's {@code x-fabric8-info} names
     * kind and version, and the group of the operators' types; the Kubernetes groups are read from the definition's
     * name, as kube-openapi writes it ({@code io.k8s.api.apps.v1.StatefulSet}: group {@code apps}; {@code core}: the
     * legacy group ""), since the document leaves their group empty.
     */
    public Optional<String> definitionOf(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        String wanted = "." + (group.isEmpty() ? "core" : group.split("\\.")[0]) + "." + version + "." + kind;
        for (Iterator<Map.Entry<String, JsonNode>> it = definitions.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode info = e.getValue().path("x-fabric8-info");
            if (kind.equals(info.path("Kind").asText()) && version.equals(info.path("Version").asText())
                    && (e.getKey().endsWith(wanted) || !group.isEmpty() && group.equals(info.path("Group").asText()))) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }
}
