package io.quarkiverse.rocm.it.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * nginx in front of a llama-server, the relay the application's API is measured against: one worker, no buffering
 * of requests or answers (each piece llama-server sends is passed on as it comes), a fresh upstream connection per
 * request (no upstream keep-alive: llama-server closes its connection after a stream, and a reused one fails), as
 * the application does for streams. Found or installed by {@code src/test/scripts/install-nginx.sh}, whose status
 * file says where it is or why there is none.
 */
final class Nginx implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path dir;

    private Nginx(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** The nginx binary the installer found, or why there is none. */
    static Optional<String> binary(Path status, StringBuilder why) throws IOException {
        if (!Files.exists(status)) {
            why.append("the installer did not run (").append(status).append(" is missing)");
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(status);
        String last = lines.isEmpty() ? "skipped: empty status" : lines.get(lines.size() - 1);
        if (last.startsWith("ok ")) {
            return Optional.of(last.substring(3).strip());
        }
        why.append(last);
        return Optional.empty();
    }

    /** Starts nginx on a free port, proxying to {@code upstreamPort} on this host. */
    static Nginx start(String binary, int port, int upstreamPort) throws Exception {
        Path dir = Files.createTempDirectory("bench-nginx");
        for (String temp : List.of("body", "proxy", "fastcgi", "uwsgi", "scgi")) {
            Files.createDirectories(dir.resolve(temp));
        }
        Files.writeString(dir.resolve("nginx.conf"), """
                worker_processes 1;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 1024; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    server {
                        listen 127.0.0.1:%2$d;
                        location / {
                            proxy_pass http://127.0.0.1:%3$d;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "close";
                            proxy_buffering off;
                            proxy_request_buffering off;
                        }
                    }
                }
                """.formatted(dir, port, upstreamPort));
        Process p = new ProcessBuilder(binary, "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
        return new Nginx(p, port, dir);
    }

    int port() {
        return port;
    }

    Process process() {
        return process;
    }

    /** The master and its workers: the CPU of nginx is theirs together. */
    List<Long> pids() {
        List<Long> pids = new ArrayList<>(List.of(process.pid()));
        process.toHandle().descendants().forEach(h -> pids.add(h.pid()));
        return pids;
    }

    /** Nanoseconds of CPU nginx has used so far. */
    long cpuNanos() throws IOException {
        long total = 0;
        for (long pid : pids()) {
            total += ProcCpu.total(ProcCpu.byThread(pid));
        }
        return total;
    }

    @Override
    public void close() throws Exception {
        process.destroy(); // SIGTERM: a fast shutdown of master and worker
        process.waitFor();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
