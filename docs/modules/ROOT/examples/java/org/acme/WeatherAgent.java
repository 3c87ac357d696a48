package org.acme;

// tag::agent[]
import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.UserMessage;
import io.quarkiverse.langchain4j.RegisterAiService;
import io.smallrye.mutiny.Multi;

@RegisterAiService(tools = WeatherTools.class)
public interface WeatherAgent {

    @SystemMessage("You are a weather assistant. Use the forecast tool to answer.")
    String ask(@UserMessage String question);

    @SystemMessage("You are a weather assistant. Use the forecast tool to answer.")
    Multi<String> askStreaming(@UserMessage String question); // streamed by RocmChatModel's StreamingChatModel side
}
// end::agent[]
