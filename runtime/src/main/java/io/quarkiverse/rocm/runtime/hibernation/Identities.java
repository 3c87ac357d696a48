package io.quarkiverse.rocm.runtime.hibernation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** How the identity a cache was saved for differs from a start's: what a user changed, in a few words. */
final class Identities {

    private Identities() {
    }

    /** What changed from {@code then} to {@code now}, or null when nothing did. */
    static String change(Map<String, String> then, Map<String, String> now) {
        List<String> changes = new ArrayList<>();
        for (String key : now.keySet()) {
            String was = then.get(key);
            String is = now.get(key);
            if (Objects.equals(was, is)) {
                continue;
            }
            changes.add(key.equals("flags") && was != null ? "flags: " + flags(was, is)
                    : key + ": " + (was == null ? "(none)" : was) + " then, " + is + " now");
        }
        then.keySet().stream().filter(k -> !now.containsKey(k)).forEach(k -> changes.add(k + " then, none now"));
        return changes.isEmpty() ? null : String.join("; ", changes);
    }

    /** The flags only one of two command lines has, as {@code -c 2048 then, -c 4096 now}. */
    private static String flags(String then, String now) {
        List<String> a = pairs(then);
        List<String> b = pairs(now);
        List<String> gone = new ArrayList<>(a);
        gone.removeAll(b);
        List<String> added = new ArrayList<>(b);
        added.removeAll(a);
        return (gone.isEmpty() ? "(none)" : String.join(" ", gone)) + " then, "
                + (added.isEmpty() ? "(none)" : String.join(" ", added)) + " now";
    }

    /** A command line as flags with their values ({@code -c 4096}, {@code --jinja}). */
    private static List<String> pairs(String line) {
        List<String> words = Arrays.asList(line.split(" "));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.startsWith("-") && i + 1 < words.size() && !words.get(i + 1).startsWith("-")) {
                out.add(w + " " + words.get(++i));
            } else {
                out.add(w);
            }
        }
        return out;
    }
}
