package io.quarkiverse.rocm.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.json.JsonObject;

/** Reads a server-sent-events answer line by line, as a plain HTTP client would. */
final class Sse {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    record Answer(int status, String contentType, List<String> data) {

        /** The data payloads as JSON, without the final [DONE]. */
        List<JsonObject> chunks() {
            List<JsonObject> out = new ArrayList<>();
            for (String d : data) {
                if (!d.equals("[DONE]")) {
                    out.add(new JsonObject(d));
                }
            }
            return out;
        }

        /** The concatenated delta contents. */
        String text() {
            StringBuilder s = new StringBuilder();
            for (JsonObject c : chunks()) {
                var choices = c.getJsonArray("choices");
                if (choices != null && !choices.isEmpty()) {
                    JsonObject delta = choices.getJsonObject(0).getJsonObject("delta");
                    String content = delta == null ? choices.getJsonObject(0).getString("text")
                            : delta.getString("content");
                    if (content != null) {
                        s.append(content);
                    }
                }
            }
            return s.toString();
        }
    }

    static HttpRequest.Builder post(String url, String json) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(json));
    }

    static Answer read(HttpRequest request) throws Exception {
        HttpResponse<java.io.InputStream> r = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        List<String> data = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    data.add(line.substring(6));
                } else if (!line.isEmpty() && r.statusCode() == 200) {
                    throw new AssertionError("unexpected line in the event stream: " + line);
                } else if (!line.isEmpty()) {
                    data.add(line);
                }
            }
        }
        return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), data);
    }

    private Sse() {
    }
}
