package io.quarkiverse.rocm.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.langchain4j.model.chat.ChatModel;
import io.quarkiverse.langchain4j.ModelName;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.test.QuarkusUnitTest;

/** A named chat model on the rocm provider needs a model of that name: the build says which property to set. */
public class UnknownNamedModelTest {

    @ApplicationScoped
    public static class UsesCoder {
        @Inject
        @ModelName("coder")
        ChatModel coder;
    }

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(TestModels.class, UsesCoder.class))
            .overrideConfigKey("quarkus.rocm.model.path", TestModels.tiny().toString())
            .overrideConfigKey("quarkus.langchain4j.coder.chat-model.provider", "rocm")
            .assertException(e -> assertThat(RootCause.of(e, ConfigurationException.class))
                    .hasMessageContaining("no model 'coder' is configured")
                    .hasMessageContaining("set quarkus.rocm.coder.model.path to a GGUF file"));

    @Test
    void fails() {
        throw new AssertionError("the build must fail");
    }
}
