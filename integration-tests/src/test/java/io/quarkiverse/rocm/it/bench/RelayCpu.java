package io.quarkiverse.rocm.it.bench;

import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What a relay (the application, nginx) costs in CPU, read from {@code /proc}: per 16-token streamed request (2 at a
 * time) and per token of 1000-token streams (the per-request part taken off).
 *
 * @param msPerRequest CPU milliseconds per 16-token streamed request
 * @param usPerToken CPU microseconds per streamed token
 * @param perThread what each thread group used during the short streams (nanoseconds), for the report
 * @param requests the short streams measured
 * @param userMs user CPU of the short streams, in milliseconds (clock ticks of 10 ms), or -1 when not read
 * @param kernelMs kernel CPU of the short streams, likewise
 */
record RelayCpu(double msPerRequest, double usPerToken, Map<String, Long> perThread, int requests, long userMs,
        long kernelMs) {

    /** A reading of a process's CPU: nanoseconds by thread group. */
    interface Reading extends Callable<Map<String, Long>> {
    }

    /** The run of the median CPU per request, with the median CPU per token of all runs. */
    static RelayCpu median(java.util.List<RelayCpu> runs) {
        java.util.List<RelayCpu> byRequest = new java.util.ArrayList<>(runs);
        byRequest.sort(java.util.Comparator.comparingDouble(RelayCpu::msPerRequest));
        RelayCpu mid = byRequest.get(byRequest.size() / 2);
        double usPerToken = ApiBenchmarkTest.median(runs.stream().mapToDouble(RelayCpu::usPerToken).toArray());
        return new RelayCpu(mid.msPerRequest(), usPerToken, mid.perThread(), mid.requests(), mid.userMs(),
                mid.kernelMs());
    }

    /** @param pid the process whose user and kernel time to read ({@code /proc/PID/stat}), or -1 */
    static RelayCpu measure(Load.Target relay, Reading cpu, long pid, int shortRequests, int longRequests)
            throws Exception {
        Map<String, Long> c0 = cpu.call();
        long[] us0 = pid < 0 ? new long[2] : ProcCpu.userSystemMs(pid);
        Load.Result shortStreams = Load.run(relay, shortRequests, 2, 16);
        long[] us1 = pid < 0 ? new long[] { -1, -1 } : ProcCpu.userSystemMs(pid);
        Map<String, Long> c1 = cpu.call();
        Load.Result longStreams = Load.run(relay, longRequests, 1, 1000);
        Map<String, Long> c2 = cpu.call();
        Map<String, Long> perShort = ProcCpu.delta(c0, c1);
        double msPerRequest = ProcCpu.total(perShort) / 1e6 / shortStreams.requests();
        double longMs = ProcCpu.total(ProcCpu.delta(c1, c2)) / 1e6;
        double usPerToken = (longMs - msPerRequest * longStreams.requests()) * 1000 / longStreams.tokens();
        return new RelayCpu(msPerRequest, usPerToken, perShort, shortStreams.requests(),
                pid < 0 ? -1 : us1[0] - us0[0], pid < 0 ? -1 : us1[1] - us0[1]);
    }
}
