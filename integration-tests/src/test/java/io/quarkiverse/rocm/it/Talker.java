package io.quarkiverse.rocm.it;

import dev.langchain4j.service.UserMessage;
import io.quarkiverse.langchain4j.RegisterAiService;
import io.smallrye.mutiny.Multi;

@RegisterAiService(modelName = "talker")
public interface Talker {

    Multi<String> talk(@UserMessage String prompt);
}
