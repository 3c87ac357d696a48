package io.quarkiverse.rocm.runtime.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/** The Hugging Face hub models named by {@code model.hf-repo} are pulled from, and the cache they are kept in. */
public interface HubConfig {

    /**
     * The hub's address (a mirror, or a private hub). Default: {@code MODEL_ENDPOINT}, else {@code HF_ENDPOINT} (the
     * variables llama.cpp and {@code huggingface_hub} read), else {@code https://huggingface.co/}.
     */
    Optional<URI> endpoint();

    /**
     * The access token for gated and private repositories. Default: {@code HF_TOKEN}. It is sent to the hub only
     * (never to the storage its downloads redirect to) and never logged.
     */
    Optional<String> token();

    /**
     * The cache folder. Default: the one the installed llama-server's {@code -hf} uses: {@code $LLAMA_CACHE}, else
     * {@code $HF_HUB_CACHE}, {@code $HUGGINGFACE_HUB_CACHE}, {@code $HF_HOME/hub},
     * {@code $XDG_CACHE_HOME/huggingface/hub}, {@code ~/.cache/huggingface/hub}; so {@code llama-server -hf} and
     * {@code huggingface_hub} find what this application pulled, and the reverse.
     */
    Optional<Path> cache();
}
