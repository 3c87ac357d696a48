package io.quarkiverse.rocm.runtime.access;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkiverse.rocm.runtime.config.RocmRuntimeConfig;

/** The configured keys as a bean. */
@Singleton
public class AccessBeans {

    @Produces
    @Singleton
    ApiKeys keys(RocmRuntimeConfig config) {
        return new ApiKeys(config.openai());
    }
}
