package io.quarkiverse.rocm.runtime.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the samples of a Prometheus text exposition: {@code name value} lines; comments and labels skipped. */
final class PrometheusText {

    private PrometheusText() {
    }

    static Map<String, Double> parse(String text) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            line = line.trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            if (space <= 0) {
                continue;
            }
            String name = line.substring(0, space).trim();
            int brace = name.indexOf('{');
            if (brace >= 0) {
                name = name.substring(0, brace);
            }
            String value = line.substring(space + 1);
            if (value.matches("[-+]?(\\d+\\.?\\d*([eE][-+]?\\d+)?|\\.\\d+|NaN)")) {
                out.put(name, Double.parseDouble(value));
            } else if (value.equals("+Inf") || value.equals("-Inf")) {
                out.put(name, value.startsWith("+") ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY);
            }
        }
        return out;
    }
}
