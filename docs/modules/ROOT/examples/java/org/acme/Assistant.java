package org.acme;

// tag::service[]
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.UserMessage;
import io.quarkiverse.langchain4j.RegisterAiService;

@RegisterAiService // the rocm provider is the only one: no provider, base URL or key to set
public interface Assistant {

    @SystemMessage("You are a helpful assistant. Answer in one sentence.")
    String chat(@UserMessage String question);
}
// end::service[]
