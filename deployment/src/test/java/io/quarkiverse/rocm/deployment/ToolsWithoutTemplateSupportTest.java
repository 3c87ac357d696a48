package io.quarkiverse.rocm.deployment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.logging.Level;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.quarkiverse.langchain4j.RegisterAiService;
import io.quarkiverse.rocm.runtime.langchain4j.RocmChatModel;
import io.quarkiverse.rocm.testing.TinyModel;
import io.quarkus.test.QuarkusUnitTest;

/**
 * A model whose chat template cannot call tools (llama-server's {@code /props}: {@code supports_tools=false}): the
 * build and the start warn, naming the AI service with tools, the model and what to do; a request with tools gets a
 * clear refusal (400 in the OpenAI API, {@code InvalidRequestException} in the chat model) instead of an answer that
 * silently ignores them. Plain chat still works.
 */
public class ToolsWithoutTemplateSupportTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(TestModels.class, ClockTools.class, ClockAgent.class))
            .overrideConfigKey("quarkus.rocm.model.path", TestModels.write("no-tools-template.gguf",
                    TinyModel.builder().chatTemplate(TinyModel.CHATML_WITHOUT_TOOLS).build()).toString())
            .overrideConfigKey("quarkus.rocm.threads", "1")
            .overrideConfigKey("quarkus.rocm.context-size", "2048")
            .overrideConfigKey("quarkus.rocm.openai.enabled", "true")
            // the deployment tests also have the openai provider, to test the choice between providers
            .overrideConfigKey("quarkus.langchain4j.chat-model.provider", "rocm")
            .setLogRecordPredicate(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
            .assertLogRecords(records -> {
                assertThat(records).anySatisfy(r -> assertThat(Logs.message(r))
                        .contains("AI service ClockAgent (tools: ClockTools) uses tools, but the chat template of model"
                                + " 'default'")
                        .contains("never mentions tools").contains("quarkus.rocm.args=--chat-template-file"));
                assertThat(records).anySatisfy(r -> assertThat(Logs.message(r))
                        .contains("AI service ClockAgent (tools: ClockTools) uses tools, but model 'default' cannot call"
                                + " tools")
                        .contains("supports_tools=false").contains("quarkus.rocm.args=--chat-template-file"));
            });

    @ApplicationScoped
    public static class ClockTools {
        @Tool("the time now")
        public String time() {
            return "noon";
        }
    }

    @RegisterAiService(tools = ClockTools.class)
    public interface ClockAgent {
        String ask(String question);
    }

    @Inject
    RocmChatModel model;

    @Test
    void requestsWithToolsAreRefusedWithTheReason() {
        assertThat(model.chat("Hi")).isEqualTo(TinyModel.DEFAULT_REPLY);
        ChatRequest withTools = ChatRequest.builder().messages(UserMessage.from("What time is it?"))
                .toolSpecifications(ToolSpecification.builder().name("time").description("the time now").build())
                .build();
        assertThatThrownBy(() -> model.chat(withTools)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("model 'default' cannot call tools").hasMessageContaining("supports_tools=false");

        given().contentType("application/json").body("{\"messages\":[{\"role\":\"user\",\"content\":\"Time?\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"time\",\"parameters\":{\"type\":\"object\"}}}]}")
                .post("/v1/chat/completions").then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error")).body("error.param", equalTo("tools"))
                .body("error.message", containsString("cannot call tools"));
        given().contentType("application/json").body("{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .post("/v1/chat/completions").then().statusCode(200)
                .body("choices[0].message.content", equalTo(TinyModel.DEFAULT_REPLY));
    }
}
