package io.quarkiverse.rocm.testing.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** What the validator refuses, and that it accepts what an API server accepts. */
class ManifestValidatorTest {

    @TempDir
    Path dir;

    static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: app
            spec:
              selector:
                matchLabels:
                  app.kubernetes.io/name: app
              template:
                metadata:
                  labels:
                    app.kubernetes.io/name: app
                spec:
                  securityContext:
                    supplementalGroups: [44]
                  containers:
                    - name: app
                      image: app:1
                      ports:
                        - containerPort: 8080
                          name: http
                      startupProbe:
                        httpGet:
                          path: /q/health/started
                          port: http
                      resources:
                        limits:
                          amd.com/gpu: "1"
                          memory: 1Gi
                      volumeMounts:
                        - name: models
                          mountPath: /models
                          readOnly: true
                  volumes:
                    - name: models
                      persistentVolumeClaim:
                        claimName: models
                        readOnly: true
            """;

    List<String> problems(String yaml) throws IOException {
        Path file = dir.resolve("m.yml");
        Files.writeString(file, yaml);
        return ManifestValidator.problems(file);
    }

    static ObjectNode deployment() throws IOException {
        return (ObjectNode) new YAMLMapper().readTree(DEPLOYMENT);
    }

    static ObjectNode container(ObjectNode deployment) {
        return (ObjectNode) deployment.at("/spec/template/spec/containers/0");
    }

    @Test
    void aValidDeploymentHasNoProblem() throws IOException {
        assertThat(problems(DEPLOYMENT)).isEmpty();
    }

    @Test
    void aMountPathTwiceIsRefusedAsTheApiServerDoes() throws IOException {
        ObjectNode d = deployment();
        ArrayNode mounts = (ArrayNode) container(d).get("volumeMounts");
        mounts.add(mounts.get(0).deepCopy());
        assertThat(ManifestValidator.problems(d)).singleElement().asString().contains("Deployment app:",
                "spec.template.spec.containers[0].volumeMounts[1]", "duplicate mountPath=/models", "[\"mountPath\"]");
    }

    @Test
    void portsAreKeyedByPortAndProtocolWithTheProtocolsDefault() throws IOException {
        ObjectNode d = deployment();
        ArrayNode ports = (ArrayNode) container(d).get("ports");
        ports.addObject().put("containerPort", 8080).put("protocol", "TCP").put("name", "other");
        ports.addObject().put("containerPort", 8080).put("protocol", "UDP").put("name", "dns");
        assertThat(ManifestValidator.problems(d)).singleElement().asString().contains("ports[1]",
                "duplicate containerPort=8080, protocol=TCP");
    }

    @Test
    void aMountOfAnUndefinedVolumeIsRefused() throws IOException {
        ObjectNode d = deployment();
        ((ObjectNode) d.at("/spec/template/spec")).remove("volumes");
        assertThat(ManifestValidator.problems(d)).singleElement().asString()
                .contains("volumeMounts[0]: mounts volume \"models\", which the pod does not define");
    }

    @Test
    void gpusAreWholeNumbersAndRequestedAsLimited() throws IOException {
        ObjectNode half = deployment();
        ((ObjectNode) container(half).at("/resources/limits")).put("amd.com/gpu", "0.5");
        assertThat(ManifestValidator.problems(half)).singleElement().asString().contains("limits.amd.com/gpu",
                "whole number");
        ObjectNode requested = deployment();
        ((ObjectNode) container(requested).get("resources")).putObject("requests").put("amd.com/gpu", "2");
        assertThat(ManifestValidator.problems(requested)).singleElement().asString()
                .contains("requests.amd.com/gpu: 2 must equal its limit 1");
        ObjectNode onlyRequested = deployment();
        ObjectNode resources = (ObjectNode) container(onlyRequested).get("resources");
        resources.set("requests", resources.remove("limits"));
        assertThat(ManifestValidator.problems(onlyRequested)).singleElement().asString()
                .contains("requests.amd.com/gpu: an extended resource must be in limits");
    }

    @Test
    void unknownFieldsWrongTypesMissingRequiredFieldsAndBadNamesAreRefused() throws IOException {
        ObjectNode type = deployment();
        ((ObjectNode) container(type).at("/volumeMounts/0")).put("readOnly", "yes-please");
        assertThat(ManifestValidator.problems(type)).singleElement().asString()
                .contains("volumeMounts[0].readOnly", "is not a boolean");
        ObjectNode unknown = deployment();
        container(unknown).put("gpu", 1);
        assertThat(ManifestValidator.problems(unknown)).singleElement().asString().contains("unknown field \"gpu\"");
        ObjectNode required = deployment();
        ((ObjectNode) required.at("/spec/template/spec/volumes/0/persistentVolumeClaim")).remove("claimName");
        assertThat(ManifestValidator.problems(required)).singleElement().asString()
                .contains("required field \"claimName\" is missing");
        ObjectNode name = deployment();
        container(name).put("name", "App_1");
        assertThat(ManifestValidator.problems(name)).singleElement().asString()
                .contains("container name \"App_1\" is not a DNS-1123 label");
        ObjectNode port = deployment();
        ((ObjectNode) container(port).at("/startupProbe/httpGet")).put("port", "metrics");
        assertThat(ManifestValidator.problems(port)).singleElement().asString()
                .contains("\"metrics\" is not a named port of the container");
        ObjectNode protocol = deployment();
        ((ObjectNode) container(protocol).at("/ports/0")).put("protocol", "HTTP");
        assertThat(ManifestValidator.problems(protocol)).singleElement().asString()
                .contains("ports[0].protocol: \"HTTP\" is not one of");
    }

    @Test
    void aSelectorMustMatchItsTemplate() throws IOException {
        ObjectNode d = deployment();
        ((ObjectNode) d.at("/spec/selector/matchLabels")).put("app.kubernetes.io/name", "other");
        assertThat(ManifestValidator.problems(d)).singleElement().asString()
                .contains("spec.selector: app.kubernetes.io/name=other does not match");
    }

    @Test
    void aKnativeServiceIsCheckedAsThePodSpecItEmbeds() throws IOException {
        String knative = """
                apiVersion: serving.knative.dev/v1
                kind: Service
                metadata:
                  name: app
                spec:
                  template:
                    spec:
                      containerConcurrency: 4
                      containers:
                        - name: app
                          image: app:1
                          readinessProbe:
                            httpGet:
                              path: /q/health/ready
                              port: null
                          volumeMounts:
                            - name: models
                              mountPath: /models
                """;
        assertThat(problems(knative)).singleElement().asString()
                .contains("Service app:", "mounts volume \"models\", which the pod does not define");
    }

    @Test
    void aKindTheDocumentDoesNotDefineIsNamed() throws IOException {
        assertThat(problems("apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\n")).singleElement()
                .asString().contains("no definition of example.com/v1 Gadget");
    }
}
