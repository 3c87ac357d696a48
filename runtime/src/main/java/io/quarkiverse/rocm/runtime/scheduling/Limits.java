package io.quarkiverse.rocm.runtime.scheduling;

/**
 * The room the {@link Scheduler} shares between models.
 *
 * @param maxLoaded the most servers running (or loading) at once; 0: no limit
 * @param memoryBudget the most memory they may need together, in bytes; 0 or less: no budget
 * @param fairness requests a model that must make room still takes after a load started waiting for it
 * @param cancelAbandonedLoads whether a load is stopped when every request that waited for it gave up (by default it
 *        finishes, and the model then follows its keep-alive)
 */
public record Limits(int maxLoaded, long memoryBudget, int fairness, boolean cancelAbandonedLoads) {
    public static final Limits NONE = new Limits(0, 0, 0, false);

    public Limits(int maxLoaded, long memoryBudget, int fairness) {
        this(maxLoaded, memoryBudget, fairness, false);
    }
}
