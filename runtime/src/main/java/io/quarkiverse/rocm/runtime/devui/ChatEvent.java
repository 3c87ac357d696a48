package io.quarkiverse.rocm.runtime.devui;

/**
 * One event of the Dev UI's streamed chat.
 *
 * @param type {@code token}, {@code done} or {@code error}
 * @param text the token's text, or the error's message
 * @param ttftMillis time from the request to the first token, as this application saw it
 * @param tokens tokens generated
 * @param tokensPerSecond generation speed from the first token to the last, as this application saw it
 * @param serverTokensPerSecond generation speed as llama-server measured it
 * @param finishReason why generation stopped
 * @param draftAcceptance with speculative decoding, the share of drafted tokens the model accepted (else null)
 */
public record ChatEvent(String type, String text, Double ttftMillis, Integer tokens, Double tokensPerSecond,
        Double serverTokensPerSecond, String finishReason, Double draftAcceptance) {

    static ChatEvent token(String text) {
        return new ChatEvent("token", text, null, null, null, null, null, null);
    }

    static ChatEvent error(String message) {
        return new ChatEvent("error", message, null, null, null, null, null, null);
    }
}
