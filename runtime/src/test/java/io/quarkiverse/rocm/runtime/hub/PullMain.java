package io.quarkiverse.rocm.runtime.hub;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

import io.quarkiverse.rocm.runtime.config.PullPolicy;

/**
 * Another application pulling into the same cache: {@code PullMain <hub> <cache> <owner/repo:QUANT>} prints the pulled
 * file. Run in a child JVM by {@link PullProcessesTest}, which kills it or runs two at once.
 */
public final class PullMain {

    public static void main(String[] args) {
        Puller puller = new Puller(new HubClient(URI.create(args[0]), Optional.empty()), new HubCache(Path.of(args[1])));
        Pulled pulled = puller.pull(HubModel.parse(args[2], Optional.empty(), "main", "args"), PullPolicy.WHEN_MISSING,
                new PullProgress(args[2]), () -> false);
        System.out.println("PULLED " + pulled.file());
    }
}
