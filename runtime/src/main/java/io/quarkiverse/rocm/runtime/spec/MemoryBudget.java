package io.quarkiverse.rocm.runtime.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;

import io.quarkiverse.rocm.runtime.gpu.GpuDevice;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;

/** {@code quarkus.rocm.memory-budget} in bytes: {@code off}, {@code auto} or a size. */
final class MemoryBudget {

    static final String PROPERTY = "quarkus.rocm.memory-budget";

    private MemoryBudget() {
    }

    /**
     * @param value the property's value
     * @param gpus the GPUs the models run on (they decide what {@code auto} means)
     * @param headroom kept free ({@code quarkus.rocm.gpu.headroom})
     * @param meminfo {@code /proc/meminfo}, for CPU servers
     * @return 0 for no budget
     */
    static long bytes(String value, Collection<GpuDevice> gpus, long headroom, Path meminfo) {
        String v = value.trim();
        if (v.equalsIgnoreCase("off")) {
            return 0;
        }
        if (v.equalsIgnoreCase("auto")) {
            long total = 0;
            if (!gpus.isEmpty()) {
                for (GpuDevice g : gpus) {
                    total += g.vram().total();
                }
            } else {
                total = available(meminfo);
            }
            if (total <= headroom) {
                throw new ConfigurationException(PROPERTY + "=auto found " + (total >> 20) + " MiB ("
                        + (gpus.isEmpty() ? "available memory" : "VRAM of " + gpus) + "), no more than the headroom of "
                        + (headroom >> 20) + " MiB: set a size instead.", Set.of(PROPERTY));
            }
            return total - headroom;
        }
        try {
            MemorySize size = new MemorySizeConverter().convert(v);
            return size.asLongValue();
        } catch (RuntimeException e) {
            throw new ConfigurationException(PROPERTY + "=" + value + " is not a size: use auto, off, or a size like"
                    + " 20G or 512M.", Set.of(PROPERTY));
        }
    }

    /** {@code MemAvailable} of {@code /proc/meminfo}, in bytes. */
    static long available(Path meminfo) {
        try {
            for (String line : Files.readAllLines(meminfo)) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // below
        }
        throw new ConfigurationException(PROPERTY + "=auto cannot read the available memory from " + meminfo
                + ": set a size instead.", Set.of(PROPERTY));
    }
}
