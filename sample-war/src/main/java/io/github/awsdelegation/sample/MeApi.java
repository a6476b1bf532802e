package io.github.awsdelegation.sample;

import io.github.awsdelegation.Delegation;
import io.github.awsdelegation.cdi.CurrentDelegation;
import io.github.awsdelegation.role.RoleGrant;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET api/me}: the status panel. Who the user is, the connection, the role granted and the rule that granted
 * it, the roles the user may ask for (each with what the shop can do with it), when the credentials expire (or the
 * sign-in session ends, when that comes first), and what the role lets the shop offer. Never the credentials themselves.
 *
 * <p>As in the tutorial the sample follows, the buyer role buys pets and the admin role adds and removes them but does
 * not buy; the roles' IAM policies enforce that, and {@code canBuy}/{@code canManage} only tell the page what to offer.
 * A role that is neither (the console role, which has no API or S3 permission) is {@code "use": "console"}: the page
 * explains it instead of calling AWS with it.
 */
@WebServlet("/api/me")
public class MeApi extends HttpServlet {

    @Inject
    CurrentDelegation aws;

    @Inject
    ShopSettings settings;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Delegation d = aws.get();
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("email", d.identity().emailAddress().orElse(null));
        me.put("subject", d.identity().subject());
        me.put("connection", d.identity().connectionName());
        me.put("connectionType", d.identity().connectionType().configName());
        me.put("role", role(d.decision().role()));
        me.put("rule", d.decision().ruleId());
        me.put("reason", d.decision().reason());
        List<Map<String, Object>> permitted = d.decision().permitted().stream().map(r -> {
            Map<String, Object> entry = role(r);
            entry.put("use", use(r));
            return entry;
        }).toList();
        me.put("permittedRoles", permitted);
        me.put("assumedRoleArn", d.credentials().assumedRoleArn());
        // What the page counts down to: the credentials' expiry, or the sign-in session's end when that comes first.
        me.put("expiresAt", d.expiresAt().toString());
        me.put("credentialsExpireAt", d.credentials().expiration().toString());
        me.put("sessionEndsAt", d.sessionEndsAt() == null ? null : d.sessionEndsAt().toString());
        me.put("canBuy", aws.hasRole(settings.buyerRole()));
        me.put("canManage", aws.hasRole(settings.adminRole()));
        me.put("use", use(d.decision().role()));
        me.put("bucket", settings.bucket());
        me.put("folder", settings.bucket() + "/" + d.identity().subject() + "/");
        Json.write(response, 200, me);
    }

    /** What the shop can do with a role: {@code buy} (pets), {@code manage} (add and remove pets) or {@code console}. */
    private String use(RoleGrant role) {
        if (is(role, settings.adminRole())) {
            return "manage";
        }
        return is(role, settings.buyerRole()) ? "buy" : "console";
    }

    private static boolean is(RoleGrant role, String configured) {
        return configured.equalsIgnoreCase(role.roleArn()) || configured.equals(role.roleName());
    }

    private static Map<String, Object> role(RoleGrant role) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("arn", role.roleArn());
        out.put("name", role.roleName());
        return out;
    }
}
