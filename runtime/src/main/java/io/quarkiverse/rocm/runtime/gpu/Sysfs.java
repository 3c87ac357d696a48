package io.quarkiverse.rocm.runtime.gpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/** Small readers of sysfs files. */
final class Sysfs {

    private Sysfs() {
    }

    static OptionalLong readLong(Path file) {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(file).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** A file of {@code key value} lines (KFD properties) or {@code KEY=value} lines (uevent). */
    static Map<String, String> readProperties(Path file) {
        Map<String, String> out = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int sep = line.indexOf('=');
                if (sep < 0) {
                    sep = line.indexOf(' ');
                }
                if (sep > 0) {
                    out.put(line.substring(0, sep).trim(), line.substring(sep + 1).trim());
                }
            }
        } catch (IOException e) {
            // a node without the file is skipped by the caller
        }
        return out;
    }
}
