package io.quarkiverse.rocm.runtime.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.vertx.core.http.HttpMethod;

/** Which key gives which identity, and which paths are the API's and its operators'. */
class KeyHoldersTest {

    @Test
    void keysNameTheirHoldersByPlace() {
        ApiKeys keys = new ApiKeys(List.of("sk-a", "sk-b"), List.of("sk-op"), "caller", "operator");
        assertThat(keys.holder("sk-b")).contains(new ApiKeys.Holder("api-key-2", Set.of("caller")));
        assertThat(keys.holder("sk-op")).contains(new ApiKeys.Holder("operator-key-1", Set.of("operator", "caller")));
        assertThat(keys.holder("sk-")).isEmpty();
        assertThat(keys.holder("sk-aa")).isEmpty();
        assertThat(keys.holder("SK-A")).isEmpty();
        assertThat(keys.holder("")).isEmpty();
        assertThat(keys.callerKeys()).isTrue();
        assertThat(keys.operatorKeys()).isTrue();

        ApiKeys none = new ApiKeys(List.of(), List.of(), "caller", "operator");
        assertThat(none.any()).isFalse();
        assertThat(none.holder("sk-a")).isEmpty();
        ApiKeys operatorsOnly = new ApiKeys(List.of(), List.of("sk-op"), "caller", "operator");
        assertThat(operatorsOnly.callerKeys()).isFalse();
        assertThat(operatorsOnly.any()).isTrue();
    }

    @Test
    void operatorPathsAreLoadAndUnloadOfOneModel() {
        ApiPaths paths = new ApiPaths("/api/v1", java.util.Set.of("/api/tokenize"));
        assertThat(paths.api("/api/v1")).isTrue();
        assertThat(paths.api("/api/v1/chat/completions")).isTrue();
        assertThat(paths.api("/api/v10/chat")).isFalse();
        assertThat(paths.api("/v1/chat/completions")).isFalse();
        assertThat(paths.api("/api/tokenize")).as("a route also at the HTTP root").isTrue();
        assertThat(paths.api("/api/tokenizer")).isFalse();
        assertThat(paths.operator(HttpMethod.POST, "/api/v1/models/alpha/load")).isTrue();
        assertThat(paths.operator(HttpMethod.POST, "/api/v1/models/alpha/unload")).isTrue();
        assertThat(paths.operator(HttpMethod.GET, "/api/v1/models/alpha/unload")).isFalse();
        assertThat(paths.operator(HttpMethod.POST, "/api/v1/models/alpha")).isFalse();
        assertThat(paths.operator(HttpMethod.POST, "/api/v1/models//load")).isFalse();
        assertThat(paths.operator(HttpMethod.POST, "/api/v1/models/a/b/load")).isFalse();
        assertThat(paths.operator(HttpMethod.POST, "/api/v1/models/alpha/loadx")).isFalse();
    }
}
