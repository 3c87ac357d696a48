package io.quarkiverse.rocm.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.rocm.runtime.process.LlamaServerException;
import io.quarkus.test.QuarkusUnitTest;

/** A fixed port that is taken fails the start with the port, the property and the remedy. */
public class PortTakenTest {

    static final ServerSocket TAKEN = take();

    static ServerSocket take() {
        try {
            return new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(TestModels.class))
            .overrideConfigKey("quarkus.rocm.model.path", TestModels.tiny().toString())
            .overrideConfigKey("quarkus.rocm.threads", "1")
            .overrideConfigKey("quarkus.rocm.port", Integer.toString(TAKEN.getLocalPort()))
            .assertException(e -> {
                Throwable root = RootCause.of(e, LlamaServerException.class);
                assertThat(root).hasMessageContaining("Port " + TAKEN.getLocalPort() + " is in use")
                        .hasMessageContaining("set quarkus.rocm.port to a free port, or to 0");
                assertThat(LlamaServers.running()).as("nothing left running").isEmpty();
            });

    @AfterAll
    static void release() throws IOException {
        TAKEN.close();
    }

    @Test
    void fails() {
        throw new AssertionError("the application must not start");
    }
}
