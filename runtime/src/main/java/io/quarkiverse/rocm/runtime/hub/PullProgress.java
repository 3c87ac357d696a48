package io.quarkiverse.rocm.runtime.hub;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far one pull is: bytes received of those it must download (what the cache held does not count), the file being
 * fetched, the rate since the transfer began. Written by the pull's thread, read by logs, health, metrics and the Dev
 * UI.
 */
public final class PullProgress {

    private final String model;
    private final AtomicLong done = new AtomicLong();
    private final long startNanos = System.nanoTime();
    private volatile long total;
    private volatile long resumedFrom;
    private volatile String file = "";
    private volatile String waiting;
    private volatile AtomicLong sink = new AtomicLong();

    public PullProgress(String model) {
        this.model = model;
    }

    /** The model being pulled ({@code owner/repo:QUANT}). */
    public String model() {
        return model;
    }

    void total(long bytes) {
        total = bytes;
    }

    void file(String name) {
        file = name;
        waiting = null;
    }

    void waiting(String why) {
        waiting = why;
    }

    /** Bytes already on disk when a transfer resumed (not counted in the rate). */
    void resumed(long bytes) {
        resumedFrom += bytes;
        done.addAndGet(bytes);
    }

    void received(long bytes) {
        done.addAndGet(bytes);
        sink.addAndGet(bytes);
    }

    /** Also counts the bytes received into {@code total} (the application's). */
    void countInto(AtomicLong total) {
        sink = total;
    }

    /** A transfer began again from 0 (the server did not resume): what it had counted is gone. */
    void restarted(long bytes) {
        done.addAndGet(-bytes);
    }

    public long doneBytes() {
        return done.get();
    }

    public long totalBytes() {
        return total;
    }

    public String file() {
        return file;
    }

    /** 0-100, or -1 when the size is not known. */
    public int percent() {
        long t = total;
        return t <= 0 ? -1 : (int) Math.min(100, done.get() * 100 / t);
    }

    /** Bytes per second received by this run. */
    public double bytesPerSecond() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return seconds <= 0 ? 0 : Math.max(0, done.get() - resumedFrom) / seconds;
    }

    /** Seconds left at the current rate, or -1. */
    public long secondsLeft() {
        double rate = bytesPerSecond();
        long t = total;
        return rate <= 0 || t <= 0 ? -1 : (long) ((t - done.get()) / rate);
    }

    /** {@code downloading 42% of 4.1 GB (Q4_K_M.gguf, 12.3 MB/s, 3 min left)}, or what it waits for. */
    public String describe() {
        String w = waiting;
        if (w != null) {
            return w;
        }
        StringBuilder s = new StringBuilder("downloading ");
        int p = percent();
        s.append(p < 0 ? bytes(doneBytes()) : p + "% of " + bytes(total));
        s.append(" (").append(file);
        s.append(", ").append(bytes((long) bytesPerSecond())).append("/s");
        long left = secondsLeft();
        if (left >= 0) {
            s.append(", ").append(left < 90 ? left + " s" : (left + 30) / 60 + " min").append(" left");
        }
        return s.append(")").toString();
    }

    /** {@code 4.1 GB}, {@code 12.3 MB}, {@code 512 B} (decimal units, as the hub shows sizes). */
    public static String bytes(long n) {
        if (n < 1000) {
            return n + " B";
        }
        String[] units = { "kB", "MB", "GB", "TB" };
        double v = n;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
