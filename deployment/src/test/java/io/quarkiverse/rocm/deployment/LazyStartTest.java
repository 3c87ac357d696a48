package io.quarkiverse.rocm.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.rocm.runtime.langchain4j.RocmChatModel;
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkus.test.QuarkusUnitTest;

/** With quarkus.rocm.start=lazy nothing runs until the first request, which starts the server and is served. */
public class LazyStartTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(TestModels.class, LlamaServers.class))
            .overrideConfigKey("quarkus.rocm.model.path", TestModels.tiny().toString())
            .overrideConfigKey("quarkus.rocm.threads", "1")
            .overrideConfigKey("quarkus.rocm.start", "lazy");

    @Inject
    RocmChatModel model;

    @Test
    void theFirstRequestStartsTheServer() {
        ModelServer server = model.client().server();
        assertThat(server.state()).isEqualTo(ModelServer.State.STOPPED);
        assertThat(LlamaServers.running()).isEmpty();
        assertThat(model.chat("Hi")).isEqualTo(TinyModel.DEFAULT_REPLY);
        assertThat(server.state()).isEqualTo(ModelServer.State.READY);
        assertThat(LlamaServers.running()).hasSize(1);
    }
}
