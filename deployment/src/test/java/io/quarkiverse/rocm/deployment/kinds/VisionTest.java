package io.quarkiverse.rocm.deployment.kinds;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import javax.imageio.ImageIO;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.sun.net.httpserver.HttpServer;

import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.quarkiverse.langchain4j.ModelName;
import io.quarkiverse.rocm.runtime.langchain4j.RocmChatModel;
import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkiverse.rocm.testing.TinyProjector;
import io.quarkus.test.QuarkusUnitTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/**
 * Vision on real llama-servers: the tiny model with {@link TinyProjector} (every image is 4 tokens). The projector is
 * found beside the model file ({@code mmproj-NAME.gguf}) or configured ({@code mmproj}); images reach llama-server as
 * data URIs and http URLs through the API and as {@code ImageContent} through the chat model (the prompt grows by the
 * image's tokens); {@code file://} images only from the operator's {@code media-path}; a model without a projector
 * refuses images with a 400 that names the property to set.
 */
public class VisionTest {

    static final Path DIR = Path.of("target", "test-models", "vision").toAbsolutePath();
    static final byte[] PNG = png();
    static final String DATA_URI = "data:image/png;base64," + Base64.getEncoder().encodeToString(PNG);
    /** Serves {@link #PNG} at /red.png, as a web server would. */
    static final HttpServer WEB = web();

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.rocm.seeing.model.path", files("seeing.gguf"))
            .overrideConfigKey("quarkus.rocm.seeing.threads", "1")
            .overrideConfigKey("quarkus.rocm.configured.model.path", files("plain/tiny.gguf"))
            .overrideConfigKey("quarkus.rocm.configured.mmproj", files("projectors/tiny-mmproj.gguf"))
            .overrideConfigKey("quarkus.rocm.configured.media-path", files("media"))
            .overrideConfigKey("quarkus.rocm.configured.threads", "1")
            .overrideConfigKey("quarkus.rocm.blind.model.path", files("plain/tiny.gguf"))
            .overrideConfigKey("quarkus.rocm.blind.threads", "1")
            .overrideConfigKey("quarkus.rocm.openai.enabled", "true");

    @Inject
    @ModelName("seeing")
    RocmChatModel seeing;

    @Inject
    @ModelName("blind")
    RocmChatModel blind;

    /** The test's files: a model with its projector beside it, a plain model, a projector, a media folder. */
    static String files(String name) {
        try {
            TinyModel.defaults().ensure(DIR.resolve("seeing.gguf"));
            TinyProjector.ensure(DIR.resolve("mmproj-seeing.gguf"));
            TinyModel.defaults().ensure(DIR.resolve("plain/tiny.gguf"));
            TinyProjector.ensure(DIR.resolve("projectors/tiny-mmproj.gguf"));
            Files.createDirectories(DIR.resolve("media"));
            Files.write(DIR.resolve("media/red.png"), PNG);
            return DIR.resolve(name).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] png() {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 8; x++) {
            for (int y = 0; y < 8; y++) {
                image.setRGB(x, y, 0xff0000);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static HttpServer web() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/red.png", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "image/png");
                exchange.sendResponseHeaders(200, PNG.length);
                exchange.getResponseBody().write(PNG);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopWeb() {
        WEB.stop(0);
    }

    static ValidatableResponse chat(String model, String imageUrl) {
        String content = imageUrl == null ? "[{\"type\":\"text\",\"text\":\"What is this?\"}]"
                : "[{\"type\":\"text\",\"text\":\"What is this?\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\""
                        + imageUrl + "\"}}]";
        return given().contentType("application/json").body("{\"model\":\"" + model
                + "\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":" + content + "}]}")
                .post("/v1/chat/completions").then();
    }

    static int promptTokens(ValidatableResponse response) {
        JsonPath json = response.statusCode(200).extract().jsonPath();
        assertThat(json.getString("choices[0].message.content")).isEqualTo(TinyModel.DEFAULT_REPLY);
        return json.getInt("usage.prompt_tokens");
    }

    @Test
    void imagesReachLlamaServerThroughTheApi() {
        int text = promptTokens(chat("seeing", null));
        assertThat(promptTokens(chat("seeing", DATA_URI))).as("a data URI").isEqualTo(text + TinyProjector.IMAGE_TOKENS);
        String url = "http://127.0.0.1:" + WEB.getAddress().getPort() + "/red.png";
        assertThat(promptTokens(chat("seeing", url))).as("an http URL").isEqualTo(text + TinyProjector.IMAGE_TOKENS);
        assertThat(promptTokens(chat("configured", DATA_URI))).as("the configured projector")
                .isEqualTo(text + TinyProjector.IMAGE_TOKENS);
        JsonPath models = given().get("/v1/models").then().statusCode(200).extract().jsonPath();
        assertThat(models.getList("data.find { it.id == 'seeing' }.capabilities", String.class)).contains("vision");
        assertThat(models.getList("data.find { it.id == 'blind' }.capabilities", String.class))
                .doesNotContain("vision");
        assertThat(seeing.client().server().commandLine()).containsSubsequence("--mmproj",
                DIR.resolve("mmproj-seeing.gguf").toString());
    }

    @Test
    void localFilesOnlyFromTheMediaFolder() {
        int text = promptTokens(chat("configured", null));
        assertThat(promptTokens(chat("configured", "file://red.png"))).isEqualTo(text + TinyProjector.IMAGE_TOKENS);
        // outside the folder, or a model without one: llama-server refuses, nothing is read
        chat("configured", "file://../media/../../seeing.gguf").statusCode(400);
        chat("seeing", "file://" + DIR.resolve("media/red.png")).statusCode(400)
                .body("error.message", org.hamcrest.Matchers.containsString("--media-path"));
    }

    @Test
    void aModelWithoutProjectorRefusesImagesNamingTheProperty() {
        chat("blind", DATA_URI).statusCode(400).body("error.type", org.hamcrest.Matchers.is("invalid_request_error"))
                .body("error.param", org.hamcrest.Matchers.is("messages[0].content[1]"))
                .body("error.message", org.hamcrest.Matchers.containsString("quarkus.rocm.blind.mmproj"));
        UserMessage withImage = UserMessage.from(TextContent.from("What is this?"),
                ImageContent.from(Base64.getEncoder().encodeToString(PNG), "image/png"));
        assertThatThrownBy(() -> blind.chat(ChatRequest.builder().messages(withImage).build()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("quarkus.rocm.blind.mmproj");
    }

    @Test
    void theChatModelSendsImageContent() {
        ChatResponse text = seeing.chat(ChatRequest.builder().messages(UserMessage.from("What is this?"))
                .temperature(0.0).build());
        UserMessage withImage = UserMessage.from(TextContent.from("What is this?"),
                ImageContent.from(Base64.getEncoder().encodeToString(PNG), "image/png"));
        ChatResponse image = seeing.chat(ChatRequest.builder().messages(withImage).temperature(0.0).build());
        assertThat(image.aiMessage().text()).isEqualTo(TinyModel.DEFAULT_REPLY);
        assertThat(image.tokenUsage().inputTokenCount())
                .isEqualTo(text.tokenUsage().inputTokenCount() + TinyProjector.IMAGE_TOKENS);
        UserMessage byUrl = UserMessage.from(TextContent.from("What is this?"),
                ImageContent.from("http://127.0.0.1:" + WEB.getAddress().getPort() + "/red.png"));
        assertThat(seeing.chat(ChatRequest.builder().messages(byUrl).temperature(0.0).build()).tokenUsage()
                .inputTokenCount()).isEqualTo(text.tokenUsage().inputTokenCount() + TinyProjector.IMAGE_TOKENS);
    }
}
