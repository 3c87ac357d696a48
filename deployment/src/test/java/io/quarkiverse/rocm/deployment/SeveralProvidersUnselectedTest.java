package io.quarkiverse.rocm.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.langchain4j.model.chat.ChatModel;
import io.quarkus.test.QuarkusUnitTest;

/** With several providers and none selected, the build says which property to set and lists rocm. */
public class SeveralProvidersUnselectedTest {

    @ApplicationScoped
    public static class UsesChat {
        @Inject
        ChatModel chat;
    }

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(TestModels.class, UsesChat.class))
            .overrideConfigKey("quarkus.rocm.model.path", TestModels.tiny().toString())
            .assertException(e -> assertThat(RootCause.of(e, io.quarkus.runtime.configuration.ConfigurationException.class))
                    .hasMessageContaining("quarkus.langchain4j.chat-model.provider").hasMessageContaining("rocm"));

    @Test
    void fails() {
        throw new AssertionError("the build must fail");
    }
}
