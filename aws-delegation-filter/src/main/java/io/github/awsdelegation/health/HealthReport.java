package io.github.awsdelegation.health;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The readiness of the module at one instant: ready when every check is up. It names no token, key or credential.
 *
 * @param at     when it was made
 * @param checks every check, in a fixed order: {@code issuer}, {@code sts}, {@code samlCertificate} (with a {@code saml}
 *               section), {@code credentialStore}
 */
public record HealthReport(Instant at, List<Check> checks) {

    public HealthReport {
        Objects.requireNonNull(at, "at");
        checks = List.copyOf(checks);
    }

    /**
     * One check.
     *
     * @param name   what was checked, e.g. {@code issuer}
     * @param up     whether it is fine
     * @param detail what was found, in words; for a check that is down, why and what to do
     * @param data   the figures behind it (times as ISO-8601, ages in seconds), by name
     */
    public record Check(String name, boolean up, String detail, Map<String, Object> data) {

        public Check {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(detail, "detail");
            data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
        }
    }

    /** Returns whether every check is up. */
    public boolean ready() {
        return checks.stream().allMatch(Check::up);
    }

    /** Returns the check of a name, or {@code null}. */
    public Check check(String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }

    /**
     * Returns the report as JSON: {@code {"status": "UP"|"DOWN", "at": ..., "checks": [{"name", "status", "detail",
     * "data"}]}} (the shape of MicroProfile Health's answer, so that the same probes read it).
     */
    public String toJson() {
        List<Object> list = new ArrayList<>();
        for (Check c : checks) {
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("name", c.name());
            check.put("status", c.up() ? "UP" : "DOWN");
            check.put("detail", c.detail());
            check.put("data", c.data());
            list.add(check);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("status", ready() ? "UP" : "DOWN");
        json.put("at", at.toString());
        json.put("checks", list);
        return JSONObjectUtils.toJSONString(json);
    }
}
