package io.quarkiverse.rocm.deployment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A streamed answer of the OpenAI API, read to its end as a client reads it: the text, how many pieces it came in,
 * whether {@code [DONE]} arrived, the error event or error answer, llama-server's timings of the last chunk, and the
 * time from sending to the first piece of text.
 *
 * @param firstTokenMillis from {@code sentNanos} to the first piece of text, or -1
 * @param timings llama-server's {@code timings} of the final chunk, or null
 */
public record OpenAiStream(int status, String text, int pieces, boolean done, String error, JsonObject timings,
        double firstTokenMillis) {

    /** Reads {@code r} to its end; a broken stream is an error of its own, not an exception. */
    public static OpenAiStream read(HttpResponse<InputStream> r, long sentNanos) {
        try (InputStream body = r.body()) {
            if (r.statusCode() != 200) {
                String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
                return new OpenAiStream(r.statusCode(), "", 0, false,
                        new JsonObject(text).getJsonObject("error").getString("message"), null, -1);
            }
            StringBuilder text = new StringBuilder();
            int pieces = 0;
            boolean done = false;
            String error = null;
            JsonObject timings = null;
            double first = -1;
            BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.startsWith("data: ")) {
                    continue;
                }
                String data = line.substring(6);
                if (data.equals("[DONE]")) {
                    done = true;
                    continue;
                }
                JsonObject chunk = new JsonObject(data);
                if (chunk.containsKey("error")) {
                    error = chunk.getJsonObject("error").getString("message");
                    continue;
                }
                if (chunk.containsKey("timings")) {
                    timings = chunk.getJsonObject("timings");
                }
                JsonArray choices = chunk.getJsonArray("choices");
                if (choices != null && !choices.isEmpty()) {
                    String content = choices.getJsonObject(0).getJsonObject("delta").getString("content");
                    if (content != null && !content.isEmpty()) {
                        if (first < 0) {
                            first = (System.nanoTime() - sentNanos) / 1e6;
                        }
                        text.append(content);
                        pieces++;
                    }
                }
            }
            return new OpenAiStream(200, text.toString(), pieces, done, error, timings, first);
        } catch (IOException e) {
            return new OpenAiStream(r.statusCode(), "", 0, false, "the stream broke: " + e, null, -1);
        }
    }
}
