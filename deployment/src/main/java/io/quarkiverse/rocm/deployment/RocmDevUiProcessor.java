package io.quarkiverse.rocm.deployment;

import io.quarkiverse.rocm.runtime.devui.RecentExchanges;
import io.quarkiverse.rocm.runtime.devui.RocmJsonRpcService;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.deployment.IsDevelopment;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.devui.spi.JsonRPCProvidersBuildItem;
import io.quarkus.devui.spi.page.CardPageBuildItem;
import io.quarkus.devui.spi.page.Page;

/**
 * The Dev UI card: Models (state, process, GGUF metadata, VRAM, command line; live; restart), Chat (a streaming
 * playground with time to first token and tokens per second), Exchanges (the last requests to the models, live) and
 * Logs (each model's llama-server output).
 */
class RocmDevUiProcessor {

    @BuildStep(onlyIf = IsDevelopment.class)
    CardPageBuildItem card() {
        CardPageBuildItem card = new CardPageBuildItem();
        card.addPage(Page.webComponentPageBuilder().title("Models").icon("font-awesome-solid:server")
                .componentLink("qwc-rocm-models.js").dynamicLabelJsonRPCMethodName("getReadyLabel"));
        card.addPage(Page.webComponentPageBuilder().title("Chat").icon("font-awesome-solid:comments")
                .componentLink("qwc-rocm-chat.js"));
        card.addPage(Page.webComponentPageBuilder().title("Exchanges").icon("font-awesome-solid:right-left")
                .componentLink("qwc-rocm-exchanges.js"));
        card.addPage(Page.webComponentPageBuilder().title("Logs").icon("font-awesome-solid:file-lines")
                .componentLink("qwc-rocm-logs.js"));
        return card;
    }

    /** The last exchanges with the models, kept for the Exchanges page: in dev mode only. */
    @BuildStep(onlyIf = IsDevelopment.class)
    AdditionalBeanBuildItem recentExchanges() {
        return AdditionalBeanBuildItem.unremovableOf(RecentExchanges.class);
    }

    /** Produced in every mode, as the Dev UI asks; its bean exists in dev mode only. */
    @BuildStep
    JsonRPCProvidersBuildItem jsonRpc() {
        return new JsonRPCProvidersBuildItem(RocmJsonRpcService.class);
    }
}
