package io.github.awsdelegation.token.internal;

import static io.github.awsdelegation.token.internal.Rejections.rejected;

import io.github.awsdelegation.token.TokenRejectedException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns verified claims into the plain, unmodifiable Java values {@link io.github.awsdelegation.token.VerifiedIdentity}
 * exposes (maps, lists, strings, {@code Long}/{@code Double}, booleans, {@code null}), and reads the
 * groups and email from them.
 */
public final class ClaimValues {

    private ClaimValues() {
    }

    /** Returns a deep, unmodifiable copy of parsed JSON, free of the parser's own map and list types. */
    public static Map<String, Object> copyOf(Map<String, Object> json) {
        Map<String, Object> copy = new LinkedHashMap<>();
        json.forEach((name, value) -> copy.put(name, copyValue(value)));
        return Collections.unmodifiableMap(copy);
    }

    private static Object copyValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((name, v) -> copy.put(String.valueOf(name), copyValue(v)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(copyValue(v)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }

    /**
     * Returns the groups in {@code claim}: none when absent, one for a string, all for an array of strings.
     *
     * @throws TokenRejectedException when the claim is of another type, since role rules would then
     *                                silently see no groups
     */
    public static List<String> groups(Map<String, Object> claims, String claim) {
        Object value = claims.get(claim);
        if (value == null) {
            return List.of();
        }
        if (value instanceof String group) {
            return List.of(group);
        }
        if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return list.stream().map(String.class::cast).toList();
        }
        throw rejected("groups claim " + SafeText.quote(claim) + " is not a string or an array of strings");
    }

    /**
     * Returns the {@code email} claim when it is a string and, if {@code requireVerified}, when
     * {@code email_verified} is true (OIDC Core §5.1; Cognito has sent it as the string {@code "true"}).
     */
    public static String email(Map<String, Object> claims, boolean requireVerified) {
        if (!(claims.get("email") instanceof String email)) {
            return null;
        }
        if (!requireVerified) {
            return email;
        }
        Object verified = claims.get("email_verified");
        return Boolean.TRUE.equals(verified) || "true".equals(verified) ? email : null;
    }
}
