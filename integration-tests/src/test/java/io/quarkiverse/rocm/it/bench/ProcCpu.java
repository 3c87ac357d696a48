package io.quarkiverse.rocm.it.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time of another process, per thread, from {@code /proc/PID/task/TID/schedstat} (nanoseconds on a CPU), grouped
 * by thread name with the numbers taken off ({@code vert.x-eventloop-thread-3} counts as
 * {@code vert.x-eventloop-thread-}).
 */
final class ProcCpu {

    private ProcCpu() {
    }

    /** Nanoseconds of CPU by thread group, since each thread started. */
    static Map<String, Long> byThread(long pid) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip().replaceAll("[0-9]+$", "");
                    long ns = Long.parseLong(Files.readString(task.resolve("schedstat")).split(" ")[0]);
                    out.merge(name, ns, Long::sum);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended while we read it
                }
            }
        }
        return out;
    }

    /** User and system CPU of the whole process, in milliseconds ({@code /proc/PID/stat}, clock ticks of 10 ms). */
    static long[] userSystemMs(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] { Long.parseLong(f[11]) * 10, Long.parseLong(f[12]) * 10 };
    }

    static long total(Map<String, Long> byThread) {
        return byThread.values().stream().mapToLong(Long::longValue).sum();
    }

    /** What each group used between two readings (threads that ended in between are lost, which makes it a floor). */
    static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> out = new TreeMap<>();
        after.forEach((k, v) -> out.put(k, v - before.getOrDefault(k, 0L)));
        out.values().removeIf(v -> v <= 0);
        return out;
    }

    /** Resident memory in bytes ({@code VmRSS}). */
    static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }
}
