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

    private static final String BUILD_DIRECTORY = "project.build.directory";
    /**
     * quarkus-kubernetes, and the parts of Dekorate this module's own (compile-only) declaration of
     * kubernetes-annotations hides from it: that nearer declaration excludes its dependencies, so they are named here
     * (at Quarkus 3.34.1's version; the 3.37 build leaves these tests out).
     */
    private static final List<Dependency> FORCED = List.of(
            Dependency.of("io.quarkus", "quarkus-kubernetes", Version.getVersion()),
            Dependency.of("io.dekorate", "dekorate-core", "4.1.5"),
            Dependency.of("io.dekorate", "option-annotations", "4.1.5"),
            Dependency.of("io.dekorate", "docker-annotations", "4.1.5"),
            Dependency.of("io.dekorate", "dekorate-templates", "4.1.5"));

    private Manifests() {
    }

    /** After the test class: the property {@link #build} set is gone. */
    static void built() {
        System.clearProperty(BUILD_DIRECTORY);
    }

    /**
     * The application, built under {@code target/} where quarkus-kubernetes finds the project (its pom.xml): for as
     * long as the test class runs, {@code project.build.directory} says where (QuarkusProdModeTest reads it); a
     * system property set for every test would expand {@code ${project.build.directory}} in their configuration.
     */
    static QuarkusProdModeTest build(String name) {
        System.setProperty(BUILD_DIRECTORY, Path.of("target").toAbsolutePath().toString());
        return new QuarkusProdModeTest().withEmptyApplication().setApplicationName(name)
                .setApplicationVersion("1.0")
                .setForcedDependencies(FORCED)
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
