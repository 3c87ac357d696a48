package io.quarkiverse.rocm.runtime.server;

/**
 * A bean that watches the model servers from before they start (traces of their loads, say): the extension calls
 * every such bean once the servers exist and before the first starts.
 */
public interface ServerWatcher {

    void watch(ModelServers servers);
}
