package io.quarkiverse.rocm.deployment.pool;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Gives the replicas {@link ReplicaHosts} starts two slots each; registered before it. */
public final class SlotsBeforeHosts implements BeforeAllCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        System.setProperty(ReplicaHosts.SLOTS, "2");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        System.clearProperty(ReplicaHosts.SLOTS);
    }
}
