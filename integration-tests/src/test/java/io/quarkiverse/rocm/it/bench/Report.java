package io.quarkiverse.rocm.it.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A benchmark's Markdown report, printed as it is written and saved at the end. */
final class Report {

    private final Path file;
    private final StringBuilder text = new StringBuilder();

    Report(String file) {
        this.file = Path.of(file);
    }

    void line(String line) {
        text.append(line).append('\n');
        System.out.println(line);
    }

    void write() throws IOException {
        Files.writeString(file, text);
    }

    /** The machine the figures come from: CPU model and cores, memory. */
    static String machine() {
        String cpu = "unknown CPU";
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    cpu = l.substring(l.indexOf(':') + 1).strip();
                    break;
                }
            }
            long memKb = 0;
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    memKb = Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
            return String.format("%s, %d cores, %.0f GiB, Java %s", cpu, Runtime.getRuntime().availableProcessors(),
                    memKb / 1024.0 / 1024.0, System.getProperty("java.version"));
        } catch (IOException e) {
            return cpu;
        }
    }
}
