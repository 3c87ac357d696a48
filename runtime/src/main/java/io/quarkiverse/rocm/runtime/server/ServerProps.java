package io.quarkiverse.rocm.runtime.server;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkiverse.rocm.runtime.json.Json;

/**
 * What a ready llama-server says about itself in {@code GET /props}: its context and slots, its build, and what the
 * model's chat template can do ({@code chat_template_caps}, from llama.cpp's analysis of the template).
 *
 * @param contextSize {@code default_generation_settings.n_ctx}: tokens per slot
 * @param build {@code build_info}
 * @param caps what the chat template supports
 * @param vision whether it takes images ({@code modalities.vision}: a multimodal projector is loaded)
 */
public record ServerProps(int contextSize, String build, TemplateCaps caps, boolean vision) {

    /** {@code chat_template_caps}. */
    public record TemplateCaps(boolean tools, boolean toolCalls, boolean systemRole, boolean parallelToolCalls) {

        /** Whether the template renders tool definitions and tool calls: without both, tools are ignored. */
        public boolean canCallTools() {
            return tools && toolCalls;
        }
    }

    /** Parses a {@code /props} answer; the caps absent from older llama-servers are taken as supported. */
    public static ServerProps parse(String json) throws IOException {
        JsonNode root = Json.MAPPER.readTree(json);
        JsonNode caps = root.path("chat_template_caps");
        return new ServerProps(root.path("default_generation_settings").path("n_ctx").asInt(0),
                root.path("build_info").asText(""),
                new TemplateCaps(caps.path("supports_tools").asBoolean(true),
                        caps.path("supports_tool_calls").asBoolean(true),
                        caps.path("supports_system_role").asBoolean(true),
                        caps.path("supports_parallel_tool_calls").asBoolean(true)),
                root.path("modalities").path("vision").asBoolean(false));
    }
}
