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

    /** Ollama's API. */
    Ollama ollama();

    /** Micrometer metrics. */
    Metrics metrics();

    /** The Kubernetes manifests, when {@code quarkus-kubernetes} is in the application. */
    Kubernetes kubernetes();

    /**
     * What the Deployment that {@code quarkus-kubernetes} generates gets for the llama-servers this application runs
     * (quarkus-kubernetes has no GPU property of its own). Its readiness, liveness and startup probes are already
     * this extension's checks ({@code /q/health/ready}, {@code /live}, {@code /started}).
     */
    interface Kubernetes {

        /** Add the GPUs, the models volume, the AMD device files and a long enough startup probe. */
        @WithDefault("true")
        boolean enabled();

        /**
         * The extended resource of the cluster's GPU device plugin: {@code amd.com/gpu} (the ROCm k8s-device-plugin)
         * or {@code nvidia.com/gpu}. It is set in the container's limits only, as Kubernetes requires for extended
         * resources (the request follows the limit).
         */
        @WithDefault("amd.com/gpu")
        String gpuResource();

        /**
         * Whole GPUs per pod. Default: 1 when the application starts a llama-server, 0 (no GPU, no models volume)
         * when every model is served by remote replicas ({@code urls}).
         */
        java.util.OptionalInt gpus();

        /**
         * The PersistentVolumeClaim that holds the GGUF models, mounted read-only at {@code models-path} (point
         * {@code quarkus.rocm.model.path} below it). Pods stay Pending until the claim exists.
         */
        @WithDefault("models")
        String modelsClaim();

        /** Where the models volume is mounted in the container. */
        @WithDefault("/models")
        String modelsPath();

        /**
         * The longest model load the startup probe waits for before Kubernetes restarts the pod: a large model on a
         * slow disk takes minutes. The probe asks every 10 s.
         */
        @WithDefault("15m")
        java.time.Duration modelLoadTime();

        /**
         * Supplemental groups of the pod, which own AMD's {@code /dev/kfd} and {@code /dev/dri} on the nodes:
         * {@code video} (44) by default; add the nodes' {@code render} group id (its number differs between
         * distributions: {@code getent group render}).
         */
        @WithDefault("44")
        java.util.List<Long> supplementalGroups();

        /**
         * The llama-server tier of the models served by remote replicas ({@code urls}): for each model listed here,
         * a StatefulSet of llama-servers, a headless Service whose pod names are the model's {@code urls}, and a
         * NetworkPolicy that admits only the application's pods.
         */
        ServerTier serverTier();
    }

    /** The llama-servers the build writes for pooled models, beside the application. */
    interface ServerTier {

        /**
         * llama-server's container image (its entrypoint must be llama-server). Default: llama.cpp's own server
         * image for the GPU resource: {@code ghcr.io/ggml-org/llama.cpp:server-rocm} for {@code amd.com/gpu},
         * {@code :server-cuda} for {@code nvidia.com/gpu}, {@code :server} without GPUs. Pin a build in production.
         */
        java.util.Optional<String> image();

        /** Whole GPUs per llama-server pod. */
        @WithDefault("1")
        int gpus();

        /** The GPUs' extended resource. Default: {@code quarkus.rocm.kubernetes.gpu-resource}. */
        java.util.Optional<String> gpuResource();

        /** Where each llama-server listens: the port of the model's {@code urls}. */
        @WithDefault("8080")
        int port();

        /**
         * A Secret (with the key {@code api-key}) that both tiers share: llama-server requires it
         * ({@code --api-key-file}), and the application sends it ({@code quarkus.rocm."name".api-key} from the
         * Secret). Without it the llama-servers take requests without a key, from the application's pods only
         * (the NetworkPolicy).
         */
        java.util.Optional<String> apiKeySecret();

        /**
         * The pooled models to generate llama-servers for, by name ({@code default} for the default model): for
         * {@code quarkus.rocm.kubernetes.server-tier.coder.model-path=/models/coder.gguf} the application must list
         * {@code quarkus.rocm.coder.urls=http://llama-coder-0.llama-coder:8080,http://llama-coder-1.llama-coder:8080}
         * (the build says so when it does not).
         */
        @io.smallrye.config.WithParentName
        @io.quarkus.runtime.annotations.ConfigDocMapKey("model-name")
        java.util.Map<String, TierModel> models();
    }

    /** One pooled model's llama-servers. */
    interface TierModel {

        /** The GGUF file inside the models volume ({@code quarkus.rocm.kubernetes.models-path}). */
        String modelPath();

        /** How many llama-servers (pods) serve the model. */
        @WithDefault("2")
        int replicas();

        /** The StatefulSet's and headless Service's name. Default: {@code llama-<model-name>}. */
        java.util.Optional<String> name();

        /** More llama-server arguments, after those the model's configuration implies. */
        java.util.Optional<java.util.List<String>> args();
    }

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

    /** Ollama's API. */
    interface Ollama {

        /**
         * Serve Ollama's API ({@code /api/chat}, {@code /api/generate}, {@code /api/embed}, {@code /api/tags},
         * {@code /api/ps}, {@code /api/show}, {@code /api/version}) on the application's HTTP server, translated to
         * the models' llama-servers, so that Ollama's clients work unchanged. Beside the OpenAI-compatible API
         * ({@code quarkus.rocm.openai.enabled=true}), whose keys, limits and metrics it shares.
         */
        @WithDefault("false")
        boolean enabled();

        /** Where Ollama's routes are: {@code /} gives {@code /api/chat}, the address Ollama clients expect. */
        @WithDefault("/")
        String rootPath();
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
