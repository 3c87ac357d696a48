package io.quarkiverse.rocm.it;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** A canary every 100 ms that may take 500 ms, so that a stopped server is noticed fast. */
public class ShortCanaryProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.rocm.canary.interval", "100ms", "quarkus.rocm.canary.timeout", "500ms");
    }
}
