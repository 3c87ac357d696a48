package io.quarkiverse.rocm.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * The packaged application is killed with SIGKILL (no shutdown hook runs): its llama-server must die with it.
 */
class JvmKilledIT {

    @Test
    void noLlamaServerOutlivesAKilledJvm() throws Exception {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        assertThat(jar).exists();
        File log = Files.createTempFile("jvm-killed", ".log").toFile();
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=0", "-jar", jar.toString()).redirectErrorStream(true).redirectOutput(log).start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            Optional<ProcessHandle> server = Optional.empty();
            while (server.isEmpty() || !Files.readString(log.toPath()).contains("Listening on")) {
                assertThat(System.nanoTime()).as("application started; log:\n%s", Files.readString(log.toPath()))
                        .isLessThan(deadline);
                assertThat(jvm.isAlive()).as("application running; log:\n%s", Files.readString(log.toPath())).isTrue();
                Thread.sleep(100);
                server = llamaServers(jvm.toHandle()).stream().findFirst();
            }
            long pid = server.get().pid();
            jvm.destroyForcibly(); // SIGKILL
            jvm.waitFor();
            long gone = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                assertThat(System.nanoTime()).as("llama-server %d still running after its JVM was killed", pid)
                        .isLessThan(gone);
                Thread.sleep(50);
            }
        } finally {
            jvm.destroyForcibly();
            Files.deleteIfExists(log.toPath());
        }
    }

    static List<ProcessHandle> llamaServers(ProcessHandle parent) {
        return parent.descendants().filter(p -> p.info().commandLine().orElse("").contains("llama-server")).toList();
    }
}
