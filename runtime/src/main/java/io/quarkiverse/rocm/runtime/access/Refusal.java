package io.quarkiverse.rocm.runtime.access;

/**
 * Why the API refused a request, as its caller is told: 401 (no identity, or an unknown key) or 403 (an identity
 * without the role the route needs). {@code code} is OpenAI's string code; the message names what to configure.
 */
public record Refusal(int status, String code, String message) {

    /** Where {@link ApiAccessPolicy} leaves its refusal on the request, for whoever writes it. */
    public static final String KEY = Refusal.class.getName();

    static Refusal unauthorized(boolean keySent) {
        return new Refusal(401, "invalid_api_key", (keySent ? "Incorrect API key provided." : "No API key provided.")
                + " Send one of quarkus.rocm.openai.api-keys (or operator-keys) as 'Authorization: Bearer <key>' or"
                + " 'x-api-key: <key>'.");
    }

    static Refusal forbidden(String message) {
        return new Refusal(403, "permission_denied", message);
    }
}
