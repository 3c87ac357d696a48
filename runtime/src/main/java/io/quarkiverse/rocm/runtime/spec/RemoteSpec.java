package io.quarkiverse.rocm.runtime.spec;

import java.time.Duration;

/**
 * A model served by remote llama-servers ({@code urls}): no binary, file or GPU of its own.
 *
 * @param parallel the slots of the whole pool (each replica's times the replicas), so that the gate lets them all work
 * @param pool the replicas, their key and how requests are spread
 */
public record RemoteSpec(String name, String alias, int contextSize, int parallel, boolean embeddings,
        boolean reranking, Duration startupTimeout, Duration stopTimeout, RestartPolicy restart, Duration canaryInterval,
        Duration canaryTimeout, PoolSpec pool) implements ServerSpec {
}
