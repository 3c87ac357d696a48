package io.quarkiverse.rocm.it;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.quarkiverse.rocm.runtime.client.LlamaServerClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;

/** llama-server's own view of its slots. */
final class Slots {

    private Slots() {
    }

    static boolean anyProcessing(LlamaServerClient client) throws Exception {
        LlamaServerClient.Response r = client.send(HttpMethod.GET, "/slots", null, 5000,
                io.quarkiverse.rocm.runtime.client.ExchangeObserver.Request.OWN).get(10, TimeUnit.SECONDS);
        JsonArray slots = new JsonArray(r.body());
        for (int i = 0; i < slots.size(); i++) {
            if (slots.getJsonObject(i).getBoolean("is_processing")) {
                return true;
            }
        }
        return false;
    }

    static void awaitIdle(LlamaServerClient client, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (anyProcessing(client)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("a slot is still processing after " + timeout);
            }
            Thread.sleep(20);
        }
    }
}
