package io.quarkiverse.rocm.runtime.scheduling;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The room the {@link Scheduler}'s limits leave ({@code max-loaded}, {@code memory-budget}): whether a model fits
 * beside those that hold room, which to free so that it will, whether it can ever fit, and the words that say so.
 */
final class Room {

    private final Limits limits;

    Room(Limits limits) {
        this.limits = limits;
    }

    /** Why {@code e} cannot fit even with every other model unloaded that may be, or null. */
    String neverFits(Entry e, Collection<Entry> all) {
        List<Entry> pinned = all.stream().filter(o -> o != e && o.policy.pinned() && o.holdsRoom()).toList();
        if (limits.maxLoaded() > 0 && pinned.size() >= limits.maxLoaded()) {
            return "model '" + e.name() + "' cannot be loaded: quarkus.rocm.max-loaded=" + limits.maxLoaded()
                    + " and the pinned models " + names(pinned) + " hold every place";
        }
        if (limits.memoryBudget() > 0) {
            long pinnedBytes = pinned.stream().mapToLong(o -> o.model.bytes()).sum();
            if (e.model.bytes() + pinnedBytes > limits.memoryBudget()) {
                return "model '" + e.name() + "' needs about " + mib(e.model.bytes()) + " but the memory budget is "
                        + mib(limits.memoryBudget()) + (pinned.isEmpty() ? ""
                                : " and the pinned models " + names(pinned) + " hold " + mib(pinnedBytes))
                        + " (quarkus.rocm.memory-budget): lower its context-size or parallel, or use a smaller"
                        + " quantisation";
            }
        }
        return null;
    }

    /**
     * The models to unload or drain so that {@code e} will fit, beyond the unloads and drains under way: idle ones
     * before busy ones, least recently used first; never a pinned one.
     */
    List<Entry> toFree(Entry e, Collection<Entry> all) {
        List<Entry> candidates = all.stream()
                .filter(o -> o != e && o.loaded && !o.unloading && !o.draining && !o.policy.pinned())
                .sorted(Comparator.comparingLong((Entry o) -> o.busy > 0 ? 1 : 0).thenComparingLong(o -> o.lastUsed))
                .toList();
        List<Entry> free = new ArrayList<>();
        long freedBytes = 0;
        for (Entry o : candidates) {
            if (fits(e, all, false, free.size(), freedBytes)) {
                break;
            }
            free.add(o);
            freedBytes += o.model.bytes();
        }
        return free;
    }

    /**
     * Whether {@code e} fits beside the models that hold room, minus {@code freedCount} / {@code freedBytes} more;
     * {@code now}: counting the models being unloaded or drained too (their memory is not free yet), else not.
     */
    boolean fits(Entry e, Collection<Entry> all, boolean now, int freedCount, long freedBytes) {
        List<Entry> holding = all.stream().filter(o -> o != e && o.holdsRoom() && (now || !(o.unloading || o.draining)))
                .toList();
        if (limits.maxLoaded() > 0 && holding.size() - freedCount >= limits.maxLoaded()) {
            return false;
        }
        if (limits.memoryBudget() > 0) {
            long used = holding.stream().mapToLong(o -> o.model.bytes()).sum() - freedBytes;
            return used + e.model.bytes() <= limits.memoryBudget();
        }
        return true;
    }

    /** Why a request for {@code e} waits: its load or unload under way, or the room: the limits and who holds it. */
    String whyWaiting(Entry e, Collection<Entry> all) {
        if (e.loading != null) {
            return "model '" + e.name() + "' is loading";
        }
        if (e.unloading) {
            return "model '" + e.name() + "' is being unloaded";
        }
        List<String> holders = all.stream().filter(o -> o != e && o.holdsRoom())
                .map(o -> "'" + o.name() + "'" + (o.busy > 0 ? " (serving " + o.busy + ")" : "")
                        + (o.policy.pinned() ? " (pinned)" : "") + (o.draining ? " (draining)" : ""))
                .toList();
        return "model '" + e.name() + "' waits for room"
                + (limits.maxLoaded() > 0 ? " (quarkus.rocm.max-loaded=" + limits.maxLoaded() + ")" : "")
                + (limits.memoryBudget() > 0 ? " (quarkus.rocm.memory-budget " + mib(limits.memoryBudget())
                        + ", it needs " + mib(e.model.bytes()) + ")" : "")
                + "; the models holding it: " + holders;
    }

    private static String names(List<Entry> entries) {
        return entries.stream().map(o -> "'" + o.name() + "'").toList().toString();
    }

    private static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }
}
