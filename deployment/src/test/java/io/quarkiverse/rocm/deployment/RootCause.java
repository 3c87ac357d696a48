package io.quarkiverse.rocm.deployment;

/** Finds an exception of a type in a cause chain (the start wraps it), or fails with the whole chain. */
public final class RootCause {

    private RootCause() {
    }

    public static Throwable of(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.getName().equals(t.getClass().getName())) {
                return t;
            }
        }
        throw new AssertionError("no " + type.getName() + " in the cause chain", e);
    }

    /** The messages of the whole cause chain, one per line. */
    public static String messages(Throwable e) {
        StringBuilder s = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            s.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
        }
        return s.toString();
    }
}
