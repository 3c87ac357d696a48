package io.quarkiverse.rocm.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.quarkiverse.rocm.runtime.spec.LocalSpec;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ServerStartsTest {

    @Inject
    ModelServers servers;

    @Test
    void theBuiltInModelIsServedWithNoConfiguration() {
        ModelServer server = servers.defaultServer().orElseThrow();
        assertThat(server.state()).isEqualTo(ModelServer.State.READY);
        LocalSpec spec = (LocalSpec) server.spec();
        assertThat(spec.model().name()).contains("tiny-llama-scripted");
        assertThat(spec.model().path()).endsWith(java.nio.file.Path.of("target", "tiny-llama.gguf"));
    }
}
