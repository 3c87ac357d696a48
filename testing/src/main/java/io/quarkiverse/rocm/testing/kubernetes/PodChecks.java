package io.quarkiverse.rocm.testing.kubernetes;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What an API server's validation of a pod template checks beyond the OpenAPI schema
 * ({@code pkg/apis/core/validation/validation.go}): names are DNS labels, every volume mount names a volume of the
 * pod, extended resources (a vendor's {@code amd.com/gpu}) are whole numbers and, where requested, requested exactly
 * as limited; and, stricter than the server, a probe's named port is a port of its container (the kubelet would fail
 * the probe).
 */
final class PodChecks {

    static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern PORT_NAME = Pattern.compile("(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private final List<String> problems;

    PodChecks(List<String> problems) {
        this.problems = problems;
    }

    void check(JsonNode pod, String path) {
        Set<String> volumes = new HashSet<>();
        for (JsonNode v : pod.path("volumes")) {
            String name = v.path("name").asText();
            volumes.add(name);
            label(name, "volume name", path + ".volumes");
        }
        for (String list : List.of("initContainers", "containers")) {
            JsonNode containers = pod.path(list);
            for (int i = 0; i < containers.size(); i++) {
                container(containers.get(i), volumes, path + "." + list + "[" + i + "]");
            }
        }
    }

    private void container(JsonNode c, Set<String> volumes, String path) {
        label(c.path("name").asText(), "container name", path);
        JsonNode mounts = c.path("volumeMounts");
        for (int i = 0; i < mounts.size(); i++) {
            String name = mounts.get(i).path("name").asText();
            if (!volumes.contains(name)) {
                problems.add(path + ".volumeMounts[" + i + "]: mounts volume \"" + name
                        + "\", which the pod does not define (spec.volumes)");
            }
        }
        Set<String> portNames = new HashSet<>();
        for (JsonNode p : c.path("ports")) {
            if (p.has("name")) {
                String name = p.get("name").asText();
                portNames.add(name);
                if (name.length() > 15 || !PORT_NAME.matcher(name).matches()) {
                    problems.add(path + ".ports: \"" + name + "\" is not a port name (IANA_SVC_NAME: at most 15"
                            + " lowercase letters, digits and dashes, with a letter)");
                }
            }
        }
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            JsonNode port = c.path(probe).path("httpGet").path("port");
            if (port.isTextual() && !portNames.contains(port.asText())) {
                problems.add(path + "." + probe + ".httpGet.port: \"" + port.asText()
                        + "\" is not a named port of the container " + portNames);
            }
        }
        resources(c.path("resources"), path + ".resources");
    }

    private void resources(JsonNode resources, String path) {
        JsonNode limits = resources.path("limits");
        JsonNode requests = resources.path("requests");
        for (Iterator<Map.Entry<String, JsonNode>> it = limits.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> limit = it.next();
            if (extended(limit.getKey())) {
                wholeNumber(limit.getValue(), path + ".limits." + limit.getKey());
                JsonNode request = requests.get(limit.getKey());
                if (request != null && !request.asText().equals(limit.getValue().asText())) {
                    problems.add(path + ".requests." + limit.getKey() + ": " + request.asText()
                            + " must equal its limit " + limit.getValue().asText()
                            + " (extended resources are not overcommitted)");
                }
            }
        }
        for (Iterator<String> it = requests.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (extended(name) && !limits.has(name)) {
                problems.add(path + ".requests." + name + ": an extended resource must be in limits");
            }
        }
    }

    private void wholeNumber(JsonNode value, String path) {
        try {
            new BigDecimal(value.asText()).toBigIntegerExact();
        } catch (ArithmeticException | NumberFormatException e) {
            problems.add(path + ": " + value + " must be a whole number (an extended resource)");
        }
    }

    /** A vendor's resource: a domain-prefixed name outside Kubernetes' own ({@code kubernetes.io/}) ones. */
    private static boolean extended(String resource) {
        return resource.contains("/") && !resource.substring(0, resource.indexOf('/')).endsWith("kubernetes.io");
    }

    private void label(String name, String what, String path) {
        if (!DNS_LABEL.matcher(name).matches()) {
            problems.add(path + ": " + what + " \"" + name + "\" is not a DNS-1123 label");
        }
    }
}
