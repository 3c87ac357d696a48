package io.quarkiverse.rocm.runtime.process;

import java.util.concurrent.ThreadFactory;

/**
 * Daemon threads for the extension's own executors, with this extension's class loader as their context class loader.
 * <p>
 * A pool thread is created by whichever thread first hands it work, and would inherit that thread's context class
 * loader: the JDK's process reaper (which runs {@code Process.onExit} callbacks) keeps the one of the application that
 * first started a process, so after a dev-mode restart, or in the next test application of the same JVM, Vert.x's
 * service lookups on such a thread found the previous application's classes ({@code JsonFactory ... not a subtype})
 * and the answer to a request was never written.
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    public static ThreadFactory named(String name) {
        ClassLoader loader = DaemonThreads.class.getClassLoader();
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            t.setContextClassLoader(loader);
            return t;
        };
    }
}
