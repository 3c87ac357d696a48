package io.quarkiverse.rocm.it;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** An API key, a small body limit and a short queue: one request at llama-server, two waiting. */
public class LimitsProfile implements QuarkusTestProfile {

    static final String KEY = "sk-test-0123456789";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.rocm.openai.api-keys", KEY + ",another-key", "quarkus.rocm.openai.max-body-size", "64K",
                "quarkus.rocm.max-queue", "2", "quarkus.rocm.max-in-flight", "1",
                // the requests that hold the only place ask for 100k tokens: the context must hold them, or the API
                // refuses them before they take a slot
                "quarkus.rocm.context-size", "131072");
    }
}
