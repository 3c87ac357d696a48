package io.quarkiverse.rocm.deployment.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkiverse.rocm.testing.kubernetes.ManifestValidator;
import io.quarkus.builder.Version;
import io.quarkus.maven.dependency.Dependency;
import io.quarkus.test.QuarkusProdModeTest;

/**
 * A packaged application with quarkus-kubernetes generating every target it can here (kubernetes, openshift,
 * knative: quarkus-kind and quarkus-minikube are not served by the Maven repository this project is built against),
 * and the manifests it wrote, each validated as an API server would.
 */
final class Manifests {

    static final List<String> TARGETS = List.of("kubernetes", "openshift", "knative");

    private Manifests() {
    }

    static QuarkusProdModeTest build(String name) {
        return new QuarkusProdModeTest().withEmptyApplication().setApplicationName(name)
                .setApplicationVersion("1.0")
                .setForcedDependencies(List.of(Dependency.of("io.quarkus", "quarkus-kubernetes", Version.getVersion())))
                .overrideConfigKey("quarkus.kubernetes.deployment-target", String.join(",", TARGETS))
                .overrideConfigKey("quarkus.container-image.registry", "registry.example.com")
                .overrideConfigKey("quarkus.container-image.group", "team");
    }

    /** The objects of one target's file, after asserting that an API server would accept every one of them. */
    static List<JsonNode> valid(Path buildDir, String target) throws IOException {
        Path file = buildDir.resolve("kubernetes").resolve(target + ".yml");
        assertThat(file).as("written by quarkus-kubernetes").exists();
        assertThat(ManifestValidator.problems(file)).as(target + ".yml").isEmpty();
        return ManifestValidator.read(file);
    }

    /** The messages of a cause chain, one per line. */
    static String messages(Throwable e) {
        StringBuilder s = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            s.append(t.getMessage()).append('\n');
        }
        return s.toString();
    }

    /** The one object of {@code kind} named {@code name}. */
    static JsonNode only(List<JsonNode> objects, String kind, String name) {
        List<JsonNode> found = objects.stream().filter(o -> kind.equals(o.path("kind").asText())
                && name.equals(o.at("/metadata/name").asText())).toList();
        assertThat(found).as(kind + " " + name).hasSize(1);
        return found.get(0);
    }

    /** The application's pod spec: a Deployment's template, or a Knative Service's revision template. */
    static JsonNode appPod(List<JsonNode> objects, String target, String name) {
        return only(objects, "knative".equals(target) ? "Service" : "Deployment", name).at("/spec/template/spec");
    }
}
