package io.quarkiverse.rocm.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.rocm.runtime.server.Endpoint;
import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.ModelServers;
import io.quarkiverse.rocm.runtime.spec.LocalSpec;
import io.quarkus.test.QuarkusUnitTest;

/**
 * Starting the application starts a real llama-server on the tiny model, on a Unix domain socket in a folder only this
 * user may enter; stopping it stops the process and removes the folder.
 */
public class ServerLifecycleTest {

    // the test runs in Quarkus' class loader, the listener in JUnit's: share the pid through a system property
    static final String PID = "rocm.test.lifecycle.pid";
    static final String SOCKET = "rocm.test.lifecycle.socket";

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(TestModels.class))
            .overrideConfigKey("quarkus.rocm.model.path", TestModels.tiny().toString())
            .overrideConfigKey("quarkus.rocm.threads", "1")
            .setAfterUndeployListener(() -> {
                long pid = Long.getLong(PID, -1);
                assertThat(pid).isPositive();
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                        .as("llama-server pid %d is gone once the application stopped", pid).isFalse();
                java.nio.file.Path socket = java.nio.file.Path.of(System.getProperty(SOCKET));
                assertThat(socket.getParent()).as("its private folder, socket included, is removed").doesNotExist();
            });

    @Inject
    ModelServers servers;

    @Test
    void theApplicationStartsARealServer() throws Exception {
        ModelServer server = servers.defaultServer().orElseThrow();
        assertThat(server.state()).isEqualTo(ModelServer.State.READY);
        long pid = server.pid().orElseThrow();
        System.setProperty(PID, Long.toString(pid));
        assertThat(ProcessHandle.of(pid)).hasValueSatisfying(h -> assertThat(h.isAlive()).isTrue());
        Endpoint endpoint = server.endpoint();
        assertThat(endpoint.socket()).as("a Unix domain socket: Vert.x runs on epoll").endsWith("llama-server.sock");
        assertThat(ProcessHandle.of(pid).orElseThrow().info().commandLine().orElse(""))
                .contains("llama-server", "tiny.gguf", "--host " + endpoint.socket());
        java.nio.file.Path socket = java.nio.file.Path.of(endpoint.socket());
        assertThat(socket).exists();
        assertThat(java.nio.file.Files.getPosixFilePermissions(socket.getParent())).as("only this user may enter")
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE,
                        java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE);
        assertThat(socket.resolveSibling("api-key")).as("the key file is deleted once the server is ready")
                .doesNotExist();
        System.setProperty(SOCKET, endpoint.socket());
        assertThat(((LocalSpec) server.spec()).model().name()).contains("tiny-llama-scripted");
        assertThat(server.spec().contextSize()).isEqualTo(4096);
    }
}
