package io.quarkiverse.rocm.runtime.devui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkiverse.rocm.runtime.client.ExchangeObserver;
import io.quarkiverse.rocm.runtime.client.Usage;

/** The Dev UI's last exchanges: newest first, bounded, content only when captured. */
class RecentExchangesTest {

    @Test
    void keepsTheLastExchangesNewestFirst() {
        RecentExchanges recent = new RecentExchanges();
        ExchangeObserver.Exchange e = recent.start("default", "/v1/chat/completions",
                new ExchangeObserver.Request("api-key-1", 8, null, null, null));
        e.admitted();
        e.firstToken();
        e.usage(new Usage(12, 8, 4, 100.0, "default", List.of("length")));
        e.answer("ignored: the request was not captured");
        e.end(200);
        RecentExchanges.Row row = recent.rows().get(0);
        assertThat(row.model()).isEqualTo("default");
        assertThat(row.caller()).isEqualTo("api-key-1");
        assertThat(row.status()).isEqualTo(200);
        assertThat(row.promptTokens()).isEqualTo(12);
        assertThat(row.completionTokens()).isEqualTo(8);
        assertThat(row.cachedTokens()).isEqualTo(4);
        assertThat(row.queueMs()).isGreaterThanOrEqualTo(0);
        assertThat(row.durationMs()).isGreaterThanOrEqualTo(row.firstTokenMs());
        assertThat(row.request()).isNull();
        assertThat(row.answer()).isNull();

        ExchangeObserver.Exchange captured = recent.start("default", "/v1/completions",
                new ExchangeObserver.Request("anonymous", null, null, null, "{\"prompt\":\"Hi\"}"));
        captured.answer("{\"content\":\"Hello\"}");
        captured.end(499);
        RecentExchanges.Row newest = recent.rows().get(0);
        assertThat(newest.status()).isEqualTo(499);
        assertThat(newest.request()).isEqualTo("{\"prompt\":\"Hi\"}");
        assertThat(newest.answer()).isEqualTo("{\"content\":\"Hello\"}");
        assertThat(newest.firstTokenMs()).isEqualTo(-1);

        for (int i = 0; i < RecentExchanges.KEPT + 10; i++) {
            recent.start("m", "/v1/embeddings", ExchangeObserver.Request.OWN).end(200);
        }
        assertThat(recent.rows()).hasSize(RecentExchanges.KEPT).allMatch(r -> r.model().equals("m"));
    }
}
