package io.github.awsdelegation.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code admin} section: the opt-in admin paths, off unless the section is given (and not {@code enabled: false}).
 * Under {@code path} are {@code /explain} ("why does this user get this role?", docs/operations.md) and {@code /health}
 * (readiness as JSON, 200 or 503). Who may use them must be said: an admin is a signed-in user (sign-in session or
 * bearer ID token) whom the rules permit one of {@code roles}, or, with {@code loopback}, any request from this
 * computer's loopback address; with {@code selfExplain}, every signed-in user may also ask why they themselves get their
 * role (the sample's "why this role?" link), and nothing else.
 *
 * @param path        where the admin paths are, without a trailing slash; by default, {@value #DEFAULT_PATH}
 * @param roles       role ARNs whose users are admins (compared with every role the rules permit the user); by
 *                    default, none
 * @param loopback    whether requests from a loopback address (127.0.0.0/8, ::1) are admins, e.g. a health probe on
 *                    the same host; by default, {@code false}. Behind a reverse proxy on the same host every request
 *                    comes from loopback: leave it off there.
 * @param selfExplain whether every signed-in user may explain their own role; by default, {@code false}
 */
public record AdminSettings(String path, List<String> roles, boolean loopback, boolean selfExplain) {

    /** By default, the admin paths are under {@value}. */
    public static final String DEFAULT_PATH = "/admin/aws-delegation";

    private static final Pattern ROLE_ARN = Pattern.compile("arn:(aws|aws-cn|aws-us-gov):iam::\\d{12}:role/[\\w+=,.@/-]+");

    public AdminSettings {
        path = path == null ? DEFAULT_PATH : path;
        roles = List.copyOf(roles == null ? List.of() : roles);
        if (!path.startsWith("/") || path.endsWith("/") || path.contains("*")) {
            throw new ConfigurationException("admin.path", "'" + path + "' must be a path starting with / and not ending "
                    + "with /, e.g. " + DEFAULT_PATH);
        }
        for (String role : roles) {
            if (!ROLE_ARN.matcher(role).matches()) {
                throw new ConfigurationException("admin.roles", "'" + role + "' is not an IAM role ARN; write "
                        + "arn:aws:iam::<12-digit account>:role/<name> of a role the rules grant to admins");
            }
        }
        if (roles.isEmpty() && !loopback && !selfExplain) {
            throw new ConfigurationException("admin", "the admin paths are on, but nobody may use them: list admin.roles "
                    + "(role ARNs whose users are admins), set admin.loopback: true (requests from this host), or "
                    + "admin.selfExplain: true (users explain their own role); or turn the section off (enabled: false)");
        }
    }

    /** Returns the explain path, {@code <path>/explain}. */
    public String explainPath() {
        return path + "/explain";
    }

    /** Returns the health path, {@code <path>/health}. */
    public String healthPath() {
        return path + "/health";
    }
}
