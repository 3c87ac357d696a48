package io.quarkiverse.rocm.it.bench;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI API against llama-server used directly and against nginx, the best relay there is, in one run, as a user
 * would see it: the packaged demo application runs in a JVM of its own (its CPU is read per thread from {@code /proc}),
 * a second llama-server is started with exactly the command line the application gave its own, nginx relays to that
 * one ({@link Nginx}), and the same streamed requests go to the three in turn.
 * Run with {@code -Pbench} (after {@code ./mvnw install -DskipTests}); it asserts nothing about speed and writes
 * {@code target/benchmark-api.md} and the figures for the chart.
 */
@Tag("benchmark")
class ApiBenchmarkTest {

    static final int WARMUP = Integer.getInteger("bench.warmup", 2000);
    static final int CPU_REQUESTS = Integer.getInteger("bench.cpu-requests", 1000);
    static final int RUN_REQUESTS = Integer.getInteger("bench.requests", 64);
    static final int PAIRS = Integer.getInteger("bench.pairs", 3);
    static final int CPU_RUNS = Integer.getInteger("bench.cpu-runs", 5);
    static final int[] CONCURRENCY = { 1, 4, 16 };

    final Report report = new Report("target/benchmark-api.md");

    @Test
    void apiAgainstLlamaServerDirectly() throws Exception {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw -B install -DskipTests first");
        }
        int appPort = freePort();
        File appLog = Files.createTempFile("bench-app", ".log").toFile();
        long appStart = System.nanoTime();
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + appPort,
                // packaged with -Pbench, the application has quarkus-opentelemetry: its cost is TracingBenchmarkTest's
                "-Dquarkus.otel.sdk.disabled=true"));
        // -Dbench.app-jvm-args="-XX:StartFlightRecording=filename=target/app.jfr,settings=profile" to profile it
        String jvmArgs = System.getProperty("bench.app-jvm-args", "");
        if (!jvmArgs.isBlank()) {
            java.addAll(List.of(jvmArgs.trim().split("\\s+")));
        }
        java.addAll(List.of("-jar", jar.toString()));
        Process app = new ProcessBuilder(java).redirectErrorStream(true).redirectOutput(appLog).start();
        Process direct = null;
        Process second = null;
        Nginx nginx = null;
        try {
            waitFor200("http://127.0.0.1:" + appPort + "/q/health/ready", app, appLog);
            double appReadyMs = (System.nanoTime() - appStart) / 1e6;
            List<String> command = serverCommand(app.toHandle(), "default");
            int directPort = freePort();
            long directStart = System.nanoTime();
            direct = new ProcessBuilder(withPort(command, directPort)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            waitFor200("http://127.0.0.1:" + directPort + "/health", direct, null);
            double directReadyMs = (System.nanoTime() - directStart) / 1e6;

            Load.Target api = new Load.Target("OpenAI API", "http://127.0.0.1:" + appPort + "/v1/chat/completions",
                    false);
            Load.Target server = new Load.Target("llama-server", "http://127.0.0.1:" + directPort
                    + "/v1/chat/completions", true);
            long pid = app.pid();
            StringBuilder noNginx = new StringBuilder();
            Optional<String> nginxBinary = Nginx.binary(Path.of("target", "nginx.txt"), noNginx);
            if (nginxBinary.isPresent()) {
                nginx = Nginx.start(nginxBinary.get(), freePort(), directPort);
                waitFor200("http://127.0.0.1:" + nginx.port() + "/health", nginx.process(), null);
            }
            Load.Target proxy = nginx == null ? null
                    : new Load.Target("nginx", "http://127.0.0.1:" + nginx.port() + "/v1/chat/completions", false);
            List<Load.Target> targets = proxy == null ? List.of(server, api) : List.of(server, proxy, api);

            Load.run(server, Math.max(50, WARMUP / 10), 2, 16);
            if (proxy != null) {
                Load.run(proxy, Math.max(50, WARMUP / 10), 2, 16);
                Load.run(proxy, 5, 1, 1000);
            }
            int warmedUp = warmUp(api, pid);
            Load.run(api, 5, 1, 1000); // the long streams' own code paths
            Load.run(server, 5, 1, 1000);
            boolean jfr = Boolean.getBoolean("bench.jfr");
            if (jfr) { // the steady state only: -Dbench.jfr=true writes target/app-steady.jfr
                jcmd(pid, "JFR.start", "name=steady", "settings=" + System.getProperty("bench.jfr-settings", "profile"),
                        "filename=" + Path.of("target", "app-steady.jfr").toAbsolutePath());
            }

            // CPU per request (16-token streams) and per token (1000-token streams): the application, nginx
            int longRequests = Math.max(5, CPU_REQUESTS / 30);
            // several times each, alternating, the medians: one reading moves by tens of percent on this machine
            Nginx n = nginx;
            List<RelayCpu> appRuns = new ArrayList<>();
            List<RelayCpu> nginxRuns = new ArrayList<>();
            for (int i = 0; i < CPU_RUNS; i++) {
                appRuns.add(RelayCpu.measure(api, () -> ProcCpu.byThread(pid), pid, CPU_REQUESTS, longRequests));
                if (n != null) {
                    nginxRuns.add(RelayCpu.measure(proxy, () -> Map.of("nginx", n.cpuNanos()), -1, CPU_REQUESTS,
                            longRequests));
                }
            }
            RelayCpu appCpu = RelayCpu.median(appRuns);
            RelayCpu nginxCpu = n == null ? null : RelayCpu.median(nginxRuns);
            long self = ProcessHandle.current().pid();
            // the whole process (/proc/PID/stat): summed per thread, the pools' threads that end meanwhile would be lost
            long[] client0 = ProcCpu.userSystemMs(self);
            Load.Result longDirect = Load.run(server, longRequests, 1, 1000);
            // what reading a stream costs a JVM on this machine: the floor under a relay, which reads and writes
            long[] client1 = ProcCpu.userSystemMs(self);
            double clientUsPerToken = (client1[0] + client1[1] - client0[0] - client0[1]) * 1e3 / longDirect.tokens();
            if (jfr) {
                jcmd(pid, "JFR.stop", "name=steady");
            }

            // throughput and time to first token, the targets in turn (which goes first rotates, against drift);
            // RSS while 16 streams are served
            Map<Integer, Map<String, List<Load.Result>>> runs = new LinkedHashMap<>();
            AtomicLong maxRss = new AtomicLong();
            for (int c : CONCURRENCY) {
                Map<String, List<Load.Result>> byTarget = new LinkedHashMap<>();
                targets.forEach(t -> byTarget.put(t.name(), new ArrayList<>()));
                for (int round = 0; round < PAIRS * 2; round++) {
                    for (int k = 0; k < targets.size(); k++) {
                        Load.Target t = targets.get((k + round) % targets.size());
                        RssSampler rss = c == 16 && t == api ? RssSampler.start(pid, maxRss) : null;
                        byTarget.get(t.name()).add(Load.run(t, RUN_REQUESTS, c, 64));
                        if (rss != null) {
                            rss.stop();
                        }
                    }
                }
                runs.put(c, byTarget);
            }

            // whole answers, one at a time; 1000-token streams
            double[] wholeDirect = whole(server, 200), wholeApi = whole(api, 200);
            Load.Result longApi = Load.run(api, longRequests, 1, 1000);

            ApiReport r = new ApiReport(report, RUN_REQUESTS, PAIRS * 2);
            r.throughput(runs, proxy != null, noNginx.toString());
            r.cpu(appCpu, nginxCpu, warmedUp, clientUsPerToken);
            r.runs(appRuns, nginxRuns);
            report.line("");
            report.line(String.format("Whole answers (15 tokens, one at a time, median of 200): direct %.2f ms, API"
                    + " %.2f ms (%+.2f ms).", median(wholeDirect), median(wholeApi),
                    median(wholeApi) - median(wholeDirect)));
            report.line(String.format("1000-token streams: direct %.0f tokens/s, API %.0f tokens/s (%.2fx).",
                    longDirect.tokensPerSecond(), longApi.tokensPerSecond(),
                    longApi.tokensPerSecond() / longDirect.tokensPerSecond()));
            report.line(String.format("Application RSS while serving 16 streams: %.0f MB (max).", maxRss.get() / 1e6));
            report.line(String.format("Ready: application %.0f ms after its JVM was spawned (its llama-servers"
                    + " included); a llama-server alone %.0f ms.", appReadyMs, directReadyMs));
            int secondPort = freePort();
            second = new ProcessBuilder(withPort(serverCommand(app.toHandle(), "second"), secondPort))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            waitFor200("http://127.0.0.1:" + secondPort + "/health", second, null);
            RoutesBenchmark.run(report, RoutesBenchmark.routes(appPort, directPort, secondPort), pid, RUN_REQUESTS, PAIRS * 2,
                    CPU_REQUESTS / 3);
            report.write();
            r.chart("target/benchmark-api.png");
        } finally {
            if (nginx != null) {
                nginx.close();
            }
            if (direct != null) {
                direct.destroyForcibly();
            }
            if (second != null) {
                second.destroyForcibly();
            }
            app.destroy();
            app.waitFor();
            Files.deleteIfExists(appLog.toPath());
        }
    }

    /**
     * Short streams until the JIT compilers have settled (their CPU under 3 % of the JVM's in a batch of 500), at
     * least {@link #WARMUP} requests and at most ten times that: on two cores C2 keeps compiling for a minute or more.
     */
    static int warmUp(Load.Target api, long pid) throws Exception {
        int done = 0;
        while (done < WARMUP * 10) {
            Map<String, Long> before = ProcCpu.byThread(pid);
            Load.run(api, 500, 2, 16);
            done += 500;
            Map<String, Long> d = ProcCpu.delta(before, ProcCpu.byThread(pid));
            long jit = d.entrySet().stream().filter(e -> e.getKey().contains("Compiler"))
                    .mapToLong(Map.Entry::getValue).sum();
            if (done >= WARMUP && jit < 0.03 * ProcCpu.total(d)) {
                break;
            }
        }
        return done;
    }

    static void jcmd(long pid, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", args) + " failed: " + out);
        }
    }

    static double[] whole(Load.Target t, int n) throws Exception {
        String body = "{\"model\":\"default\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello, who are you?\"}],"
                + "\"temperature\":0}";
        double[] ms = new double[n];
        for (int i = -n / 5; i < n; i++) {
            long s = System.nanoTime();
            HttpResponse<byte[]> r = Load.HTTP.send(HttpRequest.newBuilder(URI.create(t.url()))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(t.name() + " answered " + r.statusCode());
            }
            if (i >= 0) {
                ms[i] = (System.nanoTime() - s) / 1e6;
            }
        }
        return ms;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** The command line of the application's llama-server for a model, read from /proc. */
    static List<String> serverCommand(ProcessHandle app, String alias) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (ProcessHandle p : app.descendants().toList()) {
                byte[] raw;
                try {
                    raw = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline"));
                } catch (IOException gone) {
                    continue;
                }
                List<String> args = List.of(new String(raw, StandardCharsets.UTF_8).split("\0"));
                int i = args.indexOf("--alias");
                if (i >= 0 && i + 1 < args.size() && args.get(i + 1).equals(alias)) {
                    return args;
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no llama-server with --alias " + alias + " under the application");
    }

    /** The same command on a loopback port, without the application's key file (or socket). */
    static List<String> withPort(List<String> command, int port) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < command.size(); i++) {
            String a = command.get(i);
            if (a.equals("--api-key-file")) {
                i++;
            } else if (a.equals("--host")) {
                out.add(a);
                out.add("127.0.0.1");
                i++;
            } else if (a.equals("--port")) {
                out.add(a);
                out.add(Integer.toString(port));
                i++;
            } else {
                out.add(a);
            }
        }
        return out;
    }

    static void waitFor200(String url, Process process, File log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(url + ": the process exited" + (log == null ? ""
                        : ":\n" + Files.readString(log.toPath())));
            }
            try {
                if (Load.HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException(url + " did not answer 200 within 120 s");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Samples a process's RSS every 50 ms into a maximum. */
    static final class RssSampler {
        final Thread thread;

        private RssSampler(Thread thread) {
            this.thread = thread;
        }

        static RssSampler start(long pid, AtomicLong max) {
            Thread t = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        max.accumulateAndGet(ProcCpu.rss(pid), Math::max);
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "rss-sampler");
            t.setDaemon(true);
            t.start();
            return new RssSampler(t);
        }

        void stop() throws InterruptedException {
            thread.interrupt();
            thread.join();
        }
    }
}
