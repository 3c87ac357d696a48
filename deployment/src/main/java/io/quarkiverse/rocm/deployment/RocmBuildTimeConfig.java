package io.quarkiverse.rocm.deployment;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What the extension adds to the application at build time. */
@ConfigMapping(prefix = "quarkus.rocm")
@ConfigRoot(phase = ConfigPhase.BUILD_TIME)
public interface RocmBuildTimeConfig {

    /** Zero-configuration dev and test mode. */
    DevServices devservices();

    /** SmallRye Health checks. */
    Health health();

    /** The OpenAI-compatible API. */
    OpenAi openai();

    /** Micrometer metrics. */
    Metrics metrics();

    /** Micrometer metrics. */
    interface Metrics {

        /**
         * Publish the model servers' and requests' metrics (and llama-server's own, bridged) when
         * {@code quarkus-micrometer} is present.
         */
        @WithDefault("true")
        boolean enabled();
    }

    /** The OpenAI-compatible API. */
    interface OpenAi {

        /**
         * Serve the OpenAI-compatible API ({@code chat/completions}, {@code completions}, {@code models},
         * {@code embeddings}) on the application's HTTP server. Needs {@code quarkus-rest}.
         */
        @WithDefault("false")
        boolean enabled();

        /**
         * Where the API is served: {@code /v1} gives {@code /v1/chat/completions}, the address OpenAI clients expect
         * with the base URL {@code http://host:port/v1}.
         */
        @WithDefault("/v1")
        String path();
    }

    /** SmallRye Health checks. */
    interface Health {

        /**
         * Add the llama-server startup, readiness and liveness checks to {@code /q/health} when
         * {@code quarkus-smallrye-health} is present.
         */
        @WithDefault("true")
        boolean enabled();
    }

    /** Zero-configuration dev and test mode. */
    interface DevServices {

        /**
         * In dev and test mode: install llama-server with the project's installer when none is found, and serve the
         * built-in tiny test model when no model is configured. Production mode never does either: a missing binary
         * or model is a startup error that names the property to set. {@code quarkus.devservices.enabled=false}
         * turns this off too, as it does every Dev Service.
         */
        @WithDefault("true")
        boolean enabled();
    }
}
