package io.quarkiverse.rocm.deployment.scheduling;

import static io.restassured.RestAssured.given;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.quarkiverse.rocm.deployment.OpenAiStream;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

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

    static Streamed read(HttpResponse<InputStream> r) {
        OpenAiStream s = OpenAiStream.read(r, System.nanoTime());
        return new Streamed(s.status(), s.text(), s.pieces(), s.done(), s.error());
    }
}
