package io.quarkiverse.rocm.deployment.scheduling;

import static io.restassured.RestAssured.given;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;

/** The OpenAI API of the scheduling tests' applications, as a client uses it. */
final class Api {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Api() {
    }

    /** A whole answer from {@code model}: its text, or the error's message prefixed with the status. */
    static String chat(String model) {
        var r = given().contentType("application/json").body("{\"model\":\"" + model
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}").post("/v1/chat/completions");
        JsonPath json = r.jsonPath();
        return r.statusCode() == 200 ? json.getString("choices[0].message.content")
                : r.statusCode() + ": " + json.getString("error.message");
    }

    /** The state of a model in {@code /v1/models}. */
    static String state(String model) {
        return given().get("/v1/models/" + model).then().statusCode(200).extract().jsonPath().getString("meta.state");
    }

    static JsonPath describe(String model) {
        return given().get("/v1/models/" + model).then().statusCode(200).extract().jsonPath();
    }

    /** Waits until a model is in a state. */
    static void awaitState(String model, String state, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!state.equals(state(model))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("model " + model + " is " + state(model) + ", not " + state + ", after "
                        + within);
            }
            Thread.sleep(50);
        }
    }

    /** A streamed answer of {@code tokens} tokens (llama-server ignores the end of text), read to its end. */
    record Streamed(int status, String text, int pieces, boolean done, String error) {
    }

    static HttpRequest streamRequest(String model, int tokens) {
        String body = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"stream\":true"
                + (tokens > 0 ? ",\"max_tokens\":" + tokens + ",\"ignore_eos\":true" : "") + "}";
        return HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/v1/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(120)).build();
    }

    static Streamed stream(String model, int tokens) throws Exception {
        return read(HTTP.send(streamRequest(model, tokens), HttpResponse.BodyHandlers.ofInputStream()));
    }

    static CompletableFuture<Streamed> streamAsync(String model, int tokens) {
        return HTTP.sendAsync(streamRequest(model, tokens), HttpResponse.BodyHandlers.ofInputStream()).thenApply(r -> {
            try {
                return read(r);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static Streamed read(HttpResponse<InputStream> r) throws Exception {
        if (r.statusCode() != 200) {
            String body = new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
            return new Streamed(r.statusCode(), "", 0, false, new JsonObject(body).getJsonObject("error")
                    .getString("message"));
        }
        StringBuilder text = new StringBuilder();
        int pieces = 0;
        boolean done = false;
        String error = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
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
                var choices = chunk.getJsonArray("choices");
                if (choices != null && !choices.isEmpty()) {
                    String content = choices.getJsonObject(0).getJsonObject("delta").getString("content");
                    if (content != null) {
                        text.append(content);
                        pieces++;
                    }
                }
            }
        }
        return new Streamed(200, text.toString(), pieces, done, error);
    }
}
