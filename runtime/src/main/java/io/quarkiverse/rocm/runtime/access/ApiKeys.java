package io.quarkiverse.rocm.runtime.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.quarkiverse.rocm.runtime.config.OpenAiConfig;

/**
 * The API's configured keys and who holds each: {@code api-keys} give identities named {@code api-key-N} with the
 * caller role, {@code operator-keys} identities named {@code operator-key-N} with the operator and the caller role.
 * A key is compared with every configured key in constant time, so timing tells nothing about which part matched;
 * nothing about the keys is logged, and the holders' names say only where a key is in its list.
 */
public final class ApiKeys {

    /** Who holds a key: the identity's name and roles. */
    public record Holder(String name, Set<String> roles) {
    }

    private final List<byte[]> keys = new ArrayList<>();
    private final List<Holder> holders = new ArrayList<>();
    private final boolean callerKeys;
    private final boolean operatorKeys;

    public ApiKeys(OpenAiConfig config) {
        this(config.apiKeys().orElse(List.of()), config.operatorKeys().orElse(List.of()), config.callerRole(),
                config.operatorRole());
    }

    public ApiKeys(List<String> callers, List<String> operators, String callerRole, String operatorRole) {
        for (int i = 0; i < callers.size(); i++) {
            add(callers.get(i), new Holder("api-key-" + (i + 1), Set.of(callerRole)));
        }
        for (int i = 0; i < operators.size(); i++) {
            add(operators.get(i), new Holder("operator-key-" + (i + 1), Set.of(operatorRole, callerRole)));
        }
        this.callerKeys = !callers.isEmpty();
        this.operatorKeys = !operators.isEmpty();
    }

    private void add(String key, Holder holder) {
        keys.add(key.getBytes(StandardCharsets.UTF_8));
        holders.add(holder);
    }

    /** Whether {@code api-keys} are set, so that the API's routes need an identity. */
    public boolean callerKeys() {
        return callerKeys;
    }

    /** Whether {@code operator-keys} are set. */
    public boolean operatorKeys() {
        return operatorKeys;
    }

    /** Whether any key is set. */
    public boolean any() {
        return !keys.isEmpty();
    }

    /** The holder of this key; every configured key is compared, each in constant time. */
    public Optional<Holder> holder(String key) {
        byte[] given = key.getBytes(StandardCharsets.UTF_8);
        Holder found = null;
        for (int i = 0; i < keys.size(); i++) {
            if (MessageDigest.isEqual(given, keys.get(i)) && found == null) {
                found = holders.get(i);
            }
        }
        return Optional.ofNullable(found);
    }
}
