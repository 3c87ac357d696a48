package io.quarkiverse.rocm.runtime.server.pool;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkiverse.rocm.runtime.config.ModelConfig;
import io.quarkiverse.rocm.runtime.json.Json;
import io.quarkiverse.rocm.runtime.server.BalanceChoice;
import io.quarkiverse.rocm.runtime.server.Endpoint;
import io.quarkiverse.rocm.runtime.server.ServerProbe;
import io.quarkiverse.rocm.runtime.server.ServerProps;
import io.quarkiverse.rocm.runtime.spec.PoolSpec;
import io.quarkiverse.rocm.runtime.spec.ServerSpec;

/**
 * The remote llama-servers of one model ({@code urls}): which are in rotation, and which one a request goes to.
 * <p>
 * Every canary interval each replica in rotation is probed with {@code GET /slots} (its answer also says how many
 * of its slots are busy, with everyone's requests); one that fails a probe, or a connection of a request, is taken
 * out of rotation at once, then probed with the restart backoff (doubling from its initial wait to its maximum) and
 * brought back when it answers. The choice among those in rotation is the {@link ModelConfig.Balance} of the model;
 * with {@code prefix-affinity} a request whose conversation starts as an earlier one goes where that one went
 * ({@link PrefixAffinity}), so that replica's prompt cache is reused.
 */
public final class ReplicaPool {

    private static final Logger LOG = Logger.getLogger(ReplicaPool.class);
    /** Prefixes remembered per pool: a few per conversation turn. */
    private static final int AFFINITY_CAPACITY = 65_536;

    private final String model;
    private final PoolSpec spec;
    private final Duration interval;
    private final Duration timeout;
    private final ServerSpec.RestartPolicy backoff;
    private final ScheduledExecutorService timer;
    private final Executor probes;
    private final Runnable changed;
    private final List<Replica> replicas = new ArrayList<>();
    private final PrefixAffinity affinity = new PrefixAffinity(AFFINITY_CAPACITY);
    private final AtomicLong[] choices = { new AtomicLong(), new AtomicLong(), new AtomicLong() };
    private final Object lock = new Object();
    private ScheduledFuture<?> schedule;
    private int turn;

    /**
     * @param model how messages name the model
     * @param changed told (without locks held) whenever a replica enters or leaves the rotation
     */
    public ReplicaPool(String model, PoolSpec spec, Duration interval, Duration timeout, ServerSpec.RestartPolicy backoff,
            ScheduledExecutorService timer, Executor probes, Runnable changed) {
        this.model = model;
        this.spec = spec;
        this.interval = interval;
        this.timeout = timeout;
        this.backoff = backoff;
        this.timer = timer;
        this.probes = probes;
        this.changed = changed;
        for (int i = 0; i < spec.urls().size(); i++) {
            replicas.add(new Replica(i, spec.urls().get(i), spec.apiKey()));
        }
    }

    public PoolSpec spec() {
        return spec;
    }

    /** How messages name the model. */
    String model() {
        return model;
    }

    public List<Replica> replicas() {
        return List.copyOf(replicas);
    }

    /** How many replicas are in rotation now. */
    public int inRotation() {
        int n = 0;
        for (Replica r : replicas) {
            if (r.inRotation) {
                n++;
            }
        }
        return n;
    }

    /** How many choices went which way since the start. */
    public long choices(BalanceChoice c) {
        return choices[c.ordinal()].get();
    }

    /** Probes every replica now, then every canary interval. */
    public void start() {
        synchronized (lock) {
            stopProbes();
            long now = System.nanoTime();
            for (Replica r : replicas) {
                r.failedProbes = 0;
                r.nextProbeNanos = now;
            }
            long every = Math.max(1, interval.toMillis());
            schedule = timer.scheduleWithFixedDelay(this::probeDue, 0, every, TimeUnit.MILLISECONDS);
        }
    }

    /** Stops probing; every replica leaves the rotation. */
    public void stop() {
        synchronized (lock) {
            stopProbes();
            for (Replica r : replicas) {
                r.inRotation = false;
                r.problem = "stopped";
            }
        }
    }

    private void stopProbes() {
        if (schedule != null) {
            schedule.cancel(false);
            schedule = null;
        }
    }

    /**
     * The replica for a request, its in-flight count taken (give it back with {@link #release}); null when none is
     * in rotation.
     *
     * @param body the request's JSON, for the prefix of its conversation
     */
    public Replica choose(byte[] body) {
        List<Replica> up = new ArrayList<>(replicas.size());
        for (Replica r : replicas) {
            if (r.inRotation) {
                up.add(r);
            }
        }
        if (up.isEmpty()) {
            return null;
        }
        Replica chosen;
        if (up.size() == 1) {
            chosen = up.get(0);
        } else if (spec.balance() == ModelConfig.Balance.ROUND_ROBIN) {
            synchronized (lock) {
                chosen = up.get(Math.floorMod(turn++, up.size()));
            }
        } else if (spec.balance() == ModelConfig.Balance.LEAST_LOADED || body == null) {
            chosen = leastLoaded(up);
        } else {
            chosen = byPrefix(up, io.quarkiverse.rocm.runtime.server.Prefixes.of(body));
        }
        chosen.inFlight.incrementAndGet();
        chosen.requests.incrementAndGet();
        return chosen;
    }

    private Replica byPrefix(List<Replica> up, long[] prefixes) {
        Replica least = leastLoaded(up);
        int owner = affinity.owner(prefixes);
        Replica chosen = least;
        BalanceChoice how = BalanceChoice.NO_AFFINITY;
        if (owner >= 0) {
            Replica held = replicas.get(owner);
            if (held.inRotation && held.load() <= least.load() + spec.affinitySlack()) {
                chosen = held;
                how = BalanceChoice.AFFINITY;
            } else if (held.inRotation) {
                how = BalanceChoice.TOO_BUSY;
            }
        }
        choices[how.ordinal()].incrementAndGet();
        if (prefixes.length > 0) {
            affinity.given(prefixes, chosen.index());
        }
        return chosen;
    }

    /** The least loaded replica; among equals, the next in turn (so that an idle pool still spreads). */
    private Replica leastLoaded(List<Replica> up) {
        int start;
        synchronized (lock) {
            start = Math.floorMod(turn++, up.size());
        }
        Replica best = null;
        for (int i = 0; i < up.size(); i++) {
            Replica r = up.get((start + i) % up.size());
            if (best == null || r.load() < best.load()) {
                best = r;
            }
        }
        return best;
    }

    /** A request chosen for {@code r} ended, however. */
    public void release(Replica r) {
        r.inFlight.decrementAndGet();
    }

    /** The replica behind an endpoint {@link #choose} handed out, or null. */
    public Replica replica(Endpoint endpoint) {
        for (Replica r : replicas) {
            if (r.endpoint() == endpoint || r.url().equals(endpoint.replica())) {
                return r;
            }
        }
        return null;
    }

    /**
     * A connection to {@code r} failed, or broke during a request: out of rotation at once (its probes bring it
     * back), and what it held in its prompt cache is forgotten.
     */
    public void failed(Replica r, String why) {
        if (eject(r, why)) {
            changed.run();
        }
    }

    private boolean eject(Replica r, String why) {
        synchronized (lock) {
            if (!r.inRotation) {
                return false; // the first reason stays: the requests it cut say the same
            }
            r.problem = why;
            r.inRotation = false;
            r.ejections.incrementAndGet();
            r.failedProbes = 1;
            r.nextProbeNanos = System.nanoTime() + backoff.backoff(1).toNanos();
        }
        affinity.forget(r.index());
        LOG.warnf("Replica %s of model '%s' is out of rotation: %s. %d of %d replicas in rotation; it is probed again"
                + " in %d ms.", r.url(), model, why, inRotation(), replicas.size(), backoff.backoff(1).toMillis());
        for (Runnable abort : List.copyOf(r.aborts)) { // its requests in flight end now, naming why
            abort.run();
        }
        return true;
    }

    /** Probes the replicas in rotation, and those out of it whose backoff has passed. */
    private void probeDue() {
        long now = System.nanoTime();
        List<Replica> due = new ArrayList<>();
        synchronized (lock) {
            if (schedule == null) {
                return;
            }
            for (Replica r : replicas) {
                if (!r.probing && (r.inRotation || now - r.nextProbeNanos >= 0)) {
                    r.probing = true;
                    due.add(r);
                }
            }
        }
        for (Replica r : due) {
            probes.execute(() -> probe(r));
        }
    }

    private void probe(Replica r) {
        long t0 = System.nanoTime();
        ServerProbe.Answer a = ServerProbe.get(r.uri(), "/slots", spec.apiKey(), timeout);
        if (a.status() == 501) { // started with --no-slots: its health is all it tells
            a = ServerProbe.get(r.uri(), "/health", spec.apiKey(), timeout);
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        boolean change;
        if (a.status() == 200) {
            countSlots(r, a.body());
            r.latencyMillis = ms;
            change = admit(r);
        } else {
            String why = a.status() < 0 ? "GET /slots: " + a.error()
                    : a.status() == 401 ? "GET /slots answered 401: set " + spec.property().replace("urls", "api-key")
                            + " to the replicas' --api-key"
                            : "GET /slots answered " + a.status();
            synchronized (lock) {
                r.probing = false;
                if (!r.inRotation) {
                    r.problem = why;
                    r.failedProbes++;
                    r.nextProbeNanos = System.nanoTime() + backoff.backoff(r.failedProbes).toNanos();
                    return;
                }
            }
            change = eject(r, why);
        }
        synchronized (lock) {
            r.probing = false;
        }
        if (change) {
            changed.run();
        }
    }

    /** Back in rotation after a probe answered; reads {@code /props} first. Returns whether it was out. */
    private boolean admit(Replica r) {
        synchronized (lock) {
            if (r.inRotation || schedule == null) {
                return false;
            }
        }
        ServerProbe.Answer props = ServerProbe.get(r.uri(), "/props", spec.apiKey(), timeout);
        if (props.status() == 200) {
            try {
                r.props = ServerProps.parse(props.body());
            } catch (IOException e) {
                LOG.debugf("Replica %s answered /props with what is not JSON: %s", r.url(), e.getMessage());
            }
        }
        int n;
        boolean first;
        synchronized (lock) {
            if (r.inRotation || schedule == null) {
                return false;
            }
            first = r.ejections.get() == 0 && "not probed yet".equals(r.problem);
            r.inRotation = true;
            r.problem = null;
            r.failedProbes = 0;
            n = inRotation();
        }
        LOG.infof("Replica %s of model '%s' is %s (%d of %d replicas in rotation%s)", r.url(), model,
                first ? "in rotation" : "back in rotation", n, replicas.size(),
                r.props != null && r.props.contextSize() > 0 ? ", context " + r.props.contextSize() : "");
        return true;
    }

    /** The slots of a {@code /slots} answer: how many, and how many are processing a request. */
    private static void countSlots(Replica r, String body) {
        try {
            JsonNode slots = Json.MAPPER.readTree(body);
            if (slots != null && slots.isArray()) {
                int busy = 0;
                for (JsonNode s : slots) {
                    if (s.path("is_processing").asBoolean(false)) {
                        busy++;
                    }
                }
                r.slots = slots.size();
                r.busySlots = busy;
            }
        } catch (IOException e) {
            // a /health answer, or an older llama-server: its load is this application's count alone
            r.busySlots = 0;
        }
    }

    /** One line per replica out of rotation, for reasons: {@code http://gpu-b:8080: connection refused}. */
    public String problems() {
        List<String> out = new ArrayList<>();
        for (Replica r : replicas) {
            if (!r.inRotation) {
                out.add(r.url() + ": " + r.problem);
            }
        }
        return String.join("; ", out);
    }
}
