package io.quarkiverse.rocm.runtime.json;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one Jackson {@link ObjectMapper} of the extension's code that CDI does not create (the supervisor, the pools,
 * the OpenAI relay, the LangChain4j models): created once, thread-safe once configured, and never reconfigured. Code
 * that CDI creates may inject Quarkus' own instead.
 */
public final class Json {

    /** Plain Jackson defaults: llama-server's and OpenAI's JSON, read into trees and written as they are. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }
}
