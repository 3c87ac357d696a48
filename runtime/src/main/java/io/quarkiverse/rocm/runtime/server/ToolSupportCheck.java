package io.quarkiverse.rocm.runtime.server;

import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

/**
 * Warns when a model becomes ready whose chat template cannot call tools while AI services with tools run on it: they
 * would get plain text where they expect tool calls, and never know why.
 */
public final class ToolSupportCheck implements ModelServer.Listener {

    private static final Logger LOG = Logger.getLogger(ToolSupportCheck.class);

    private final Map<String, List<String>> aiServicesByModel;

    /** @param aiServicesByModel AI services that use tools (with their tools), by the model's configuration name */
    public ToolSupportCheck(Map<String, List<String>> aiServicesByModel) {
        this.aiServicesByModel = aiServicesByModel;
    }

    /** Watches every server that AI services with tools use. */
    public void watch(ModelServers servers) {
        for (ModelServer s : servers.all()) {
            if (aiServicesByModel.containsKey(s.name())) {
                s.addListener(this);
                if (s.state() == ModelServer.State.READY) { // kept across a live reload
                    onStateChange(s, ModelServer.State.READY, ModelServer.State.READY, "kept");
                }
            }
        }
    }

    @Override
    public void onStateChange(ModelServer server, ModelServer.State from, ModelServer.State to, String reason) {
        if (to != ModelServer.State.READY) {
            return;
        }
        List<String> services = aiServicesByModel.get(server.name());
        server.toolsProblem().ifPresent(problem -> LOG.warnf("AI service%s %s use%s tools, but %s",
                services.size() == 1 ? "" : "s", String.join(", ", services), services.size() == 1 ? "s" : "", problem));
    }
}
