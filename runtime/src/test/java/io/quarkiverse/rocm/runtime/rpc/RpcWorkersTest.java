package io.quarkiverse.rocm.runtime.rpc;

import static io.quarkiverse.rocm.runtime.TestSupport.tinySpec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkiverse.rocm.runtime.process.BinaryLocator;
import io.quarkiverse.rocm.runtime.spec.LocalSpec;
import io.quarkus.runtime.configuration.ConfigurationException;

/** {@code rpc-workers}: parsing, the errors that name the entry and the property, and reachability. */
class RpcWorkersTest {

    static final String PROPERTY = "quarkus.rocm.big.rpc-workers";

    @Test
    void workersBecomeOneRpcArgumentInOrder() {
        RpcWorkers w = RpcWorkers.parse(PROPERTY, List.of("10.0.0.2:50052", " gpu-b.internal:50053 ", "[fd00::3]:50052"));
        assertThat(w.workers()).containsExactly(new RpcWorkers.Worker("10.0.0.2", 50052),
                new RpcWorkers.Worker("gpu-b.internal", 50053), new RpcWorkers.Worker("fd00::3", 50052));
        assertThat(w.argument()).isEqualTo("10.0.0.2:50052,gpu-b.internal:50053,[fd00::3]:50052");
        assertThat(w.describe(w.workers().subList(0, 1))).isEqualTo("RPC worker 10.0.0.2:50052 (" + PROPERTY + ")");
    }

    @Test
    void anEntryThatIsNotHostAndPortIsNamed() {
        for (String bad : List.of("10.0.0.2", "10.0.0.2:", ":50052", "gpu-a:0", "gpu-a:65536", "gpu-a:rpc",
                "http://gpu-a:50052")) {
            assertThatThrownBy(() -> RpcWorkers.parse(PROPERTY, List.of("gpu-b:50052", bad)))
                    .as(bad).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining(PROPERTY + " has '" + bad + "', which is not host:port")
                    .hasMessageContaining("50052 by default");
        }
    }

    @Test
    void aWorkerListedTwiceIsAnError() {
        assertThatThrownBy(() -> RpcWorkers.parse(PROPERTY, List.of("gpu-a:50052", "gpu-a:50052")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("lists gpu-a:50052 twice");
    }

    @Test
    void aWorkerIsReachableWhileItAcceptsConnections() throws Exception {
        try (ServerSocket open = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int closedPort;
            try (ServerSocket closed = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                closedPort = closed.getLocalPort();
            }
            RpcWorkers w = RpcWorkers.parse(PROPERTY, List.of("127.0.0.1:" + open.getLocalPort(),
                    "127.0.0.1:" + closedPort));
            assertThat(w.unreachable(Duration.ofMillis(500))).containsExactly(new RpcWorkers.Worker("127.0.0.1",
                    closedPort));
        }
    }

    @Test
    void workersNeedALlamaServerWithTheRpcBackend() {
        LocalSpec plain = tinySpec();
        assumeFalse(BinaryLocator.supportsRpc(plain.binary()), plain.binary() + " has the RPC backend");
        assertThatThrownBy(() -> tinySpec("quarkus.rocm.rpc-workers", "10.0.0.2:50052"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("quarkus.rocm.rpc-workers is set, but " + plain.binary() + " has no RPC backend")
                .hasMessageContaining("install-llama-server.sh --backend rpc");
    }

    @Test
    void aModelWithoutWorkersHasNoRpcArgument() {
        LocalSpec spec = tinySpec();
        assertThat(spec.rpcWorkers().isEmpty()).isTrue();
        assertThat(spec.arguments()).doesNotContain("--rpc");
    }

    @Test
    void aConnectionTheWorkerClosedIsSeenAsLost() throws Exception {
        try (ServerSocket worker = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), worker.getLocalPort())) {
            RpcWorkers w = RpcWorkers.parse(PROPERTY, List.of("127.0.0.1:" + worker.getLocalPort(), "127.0.0.1:1"));
            long self = ProcessHandle.current().pid();
            Socket accepted = worker.accept();
            // this process holds a connection to the first "worker" (and its accepted end), none to the second
            assertThat(RpcConnections.lost(self, w)).contains(List.of(w.workers().get(1)));
            accepted.close(); // the worker side goes away: the client's socket is in CLOSE_WAIT
            worker.close();
            assertThat(RpcConnections.lost(self, w)).contains(w.workers());
            assertThat(client.isClosed()).as("the client end is still open, only no longer established").isFalse();
        }
        assertThat(RpcConnections.lost(Long.MAX_VALUE, RpcWorkers.parse(PROPERTY, List.of("127.0.0.1:1"))))
                .as("a process that is gone: cannot tell").isEmpty();
    }
}
