package io.quarkiverse.rocm.runtime.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.quarkiverse.rocm.runtime.scheduling.KeepAlive;

/** {@code keep_alive} read as Ollama reads it (its {@code api.Duration}: seconds, or Go's {@code ParseDuration}). */
class OllamaKeepAliveTest {

    static final JsonNodeFactory J = JsonNodeFactory.instance;

    @Test
    void numbersAreSecondsAndStringsGoDurations_negativeMeansNoIdleUnload() {
        assertThat(OllamaKeepAlive.parse(null)).isNull();
        assertThat(OllamaKeepAlive.parse(J.nullNode())).isNull();
        assertThat(OllamaKeepAlive.parse(J.numberNode(300))).isEqualTo(new KeepAlive(Duration.ofMinutes(5)));
        assertThat(OllamaKeepAlive.parse(J.numberNode(0))).isEqualTo(new KeepAlive(Duration.ZERO));
        assertThat(OllamaKeepAlive.parse(J.numberNode(-1))).isEqualTo(KeepAlive.FOREVER);
        assertThat(OllamaKeepAlive.parse(J.textNode("0"))).isEqualTo(new KeepAlive(Duration.ZERO));
        assertThat(OllamaKeepAlive.parse(J.textNode("5m"))).isEqualTo(new KeepAlive(Duration.ofMinutes(5)));
        assertThat(OllamaKeepAlive.parse(J.textNode("1h30m"))).isEqualTo(new KeepAlive(Duration.ofMinutes(90)));
        assertThat(OllamaKeepAlive.parse(J.textNode("1.5h"))).isEqualTo(new KeepAlive(Duration.ofMinutes(90)));
        assertThat(OllamaKeepAlive.parse(J.textNode("300ms"))).isEqualTo(new KeepAlive(Duration.ofMillis(300)));
        assertThat(OllamaKeepAlive.parse(J.textNode("-1m"))).isEqualTo(KeepAlive.FOREVER);
    }

    @Test
    void anythingElseIsRefusedNamingTheField() {
        for (String bad : new String[] { "soon", "5", "-1", "5 m", "m", "", "1h-5m" }) {
            assertThatThrownBy(() -> OllamaKeepAlive.parse(J.textNode(bad))).as(bad)
                    .isInstanceOf(OllamaRequests.Invalid.class).hasMessageContaining("invalid keep_alive")
                    .hasMessageContaining("\"5m\"");
        }
        assertThatThrownBy(() -> OllamaKeepAlive.parse(J.booleanNode(true)))
                .isInstanceOf(OllamaRequests.Invalid.class);
    }
}
