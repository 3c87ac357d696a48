package io.quarkiverse.rocm.runtime.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.quarkiverse.rocm.runtime.server.ModelServer;
import io.quarkiverse.rocm.runtime.server.ModelServers;

/**
 * The API's one way from a {@code model} name to its server: by alias, the default model when none is named, and
 * OpenAI's 404 listing the names there are when none matches.
 */
final class ModelLookup {

    private final ModelServers servers;

    ModelLookup(ModelServers servers) {
        this.servers = servers;
    }

    /** The server of {@code name}; of the default model when {@code name} is null or empty. */
    Optional<ModelServer> find(String name) {
        return name == null || name.isEmpty() ? servers.defaultServer() : servers.byAlias(name);
    }

    /** OpenAI's 404 for a model there is not. */
    OpenAiErrors.Answer notFound(String name) {
        return OpenAiErrors.modelNotFound(name == null ? "(none)" : name, aliases());
    }

    /** The API's names of the models (each followed by its LoRA adapters'), in configuration order. */
    List<String> aliases() {
        List<String> out = new ArrayList<>();
        servers.all().forEach(s -> {
            out.add(s.spec().alias());
            out.addAll(s.spec().adapters().names());
        });
        return out;
    }
}
