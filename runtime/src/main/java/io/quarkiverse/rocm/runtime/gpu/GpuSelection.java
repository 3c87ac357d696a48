package io.quarkiverse.rocm.runtime.gpu;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Which AMD GPUs llama-server may use, and the environment that makes ROCm see only those.
 *
 * @param visible the GPUs llama-server will see (empty: no AMD GPU, or the user masks devices himself)
 * @param environment variables to add to llama-server's environment
 */
public record GpuSelection(List<GpuDevice> visible, Map<String, String> environment) {

    /** Variables with which a user already chooses devices; when one is set, this extension masks nothing. */
    static final List<String> USER_MASKS = List.of("ROCR_VISIBLE_DEVICES", "HIP_VISIBLE_DEVICES",
            "CUDA_VISIBLE_DEVICES", "GPU_DEVICE_ORDINAL");
    public static final String DEVICE_PROPERTY = "quarkus.rocm.gpu.device";

    public static GpuSelection none() {
        return new GpuSelection(List.of(), Map.of());
    }

    /**
     * @param all the machine's AMD GPUs
     * @param device {@code auto}, or a PCI address, unique id ({@code GPU-<hex>} or decimal), card or render node name
     * @param maskIntegrated hide integrated GPUs when {@code device} is {@code auto}
     * @param userEnv the environment llama-server would get without this selection
     * @param hsaOverride {@code HSA_OVERRIDE_GFX_VERSION} to pass, if any
     */
    public static GpuSelection select(List<GpuDevice> all, String device, boolean maskIntegrated,
            Map<String, String> userEnv, Optional<String> hsaOverride) {
        Map<String, String> env = new LinkedHashMap<>();
        hsaOverride.ifPresent(v -> env.put("HSA_OVERRIDE_GFX_VERSION", v));
        boolean auto = device == null || device.isBlank() || device.equalsIgnoreCase("auto");
        if (all.isEmpty()) {
            if (!auto) {
                throw new ConfigurationException(DEVICE_PROPERTY + "=" + device
                        + ", but this machine shows no AMD GPU (no KFD topology in sysfs). Remove the property or"
                        + " set it to 'auto'.");
            }
            return new GpuSelection(List.of(), env);
        }
        for (String mask : USER_MASKS) {
            if (userEnv.containsKey(mask)) {
                return new GpuSelection(List.of(), env); // the user chose devices himself: respect that
            }
        }
        List<GpuDevice> visible;
        if (auto) {
            List<GpuDevice> discrete = all.stream().filter(d -> !d.integrated()).collect(Collectors.toList());
            visible = maskIntegrated && !discrete.isEmpty() ? discrete : new ArrayList<>(all);
            visible.sort(Comparator.comparingLong((GpuDevice d) -> d.vram().total()).reversed());
        } else {
            visible = List.of(find(all, device));
        }
        if (visible.size() < all.size()) {
            env.put("ROCR_VISIBLE_DEVICES", visible.stream().map(GpuDevice::rocmUuid).collect(Collectors.joining(",")));
        }
        return new GpuSelection(List.copyOf(visible), env);
    }

    static GpuDevice find(List<GpuDevice> all, String device) {
        String d = device.trim();
        for (GpuDevice g : all) {
            if (g.pciAddress().equalsIgnoreCase(d) || g.pciAddress().equalsIgnoreCase("0000:" + d)
                    || g.rocmUuid().equalsIgnoreCase(d) || Long.toUnsignedString(g.uniqueId()).equals(d)
                    || g.card().equals(d) || ("renderD" + g.renderMinor()).equals(d)) {
                return g;
            }
        }
        throw new ConfigurationException(DEVICE_PROPERTY + "=" + device + " matches no GPU. Available: "
                + all.stream().map(GpuDevice::toString).collect(Collectors.joining("; "))
                + ". Use a PCI address, a GPU-<id>, a card name or 'auto'.");
    }

    /** Free VRAM of the visible GPUs together. */
    public long freeVram() {
        return visible.stream().mapToLong(d -> d.vram().free()).sum();
    }

    /** Total VRAM of the visible GPUs together. */
    public long totalVram() {
        return visible.stream().mapToLong(d -> d.vram().total()).sum();
    }

}
