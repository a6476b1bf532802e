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
 * it, the roles the user may ask for, when the credentials expire (or the sign-in session ends, when that comes first),
 * and what the role lets the shop offer. Never the credentials themselves.
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
        List<Map<String, Object>> permitted = d.decision().permitted().stream().map(MeApi::role).toList();
        me.put("permittedRoles", permitted);
        me.put("assumedRoleArn", d.credentials().assumedRoleArn());
        // What the page counts down to: the credentials' expiry, or the sign-in session's end when that comes first.
        me.put("expiresAt", d.expiresAt().toString());
        me.put("credentialsExpireAt", d.credentials().expiration().toString());
        me.put("sessionEndsAt", d.sessionEndsAt() == null ? null : d.sessionEndsAt().toString());
        me.put("canBuy", aws.hasRole(settings.buyerRole(), settings.adminRole()));
        me.put("canManage", aws.hasRole(settings.adminRole()));
        me.put("bucket", settings.bucket());
        me.put("folder", settings.bucket() + "/" + d.identity().subject() + "/");
        Json.write(response, 200, me);
    }

    private static Map<String, Object> role(RoleGrant role) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("arn", role.roleArn());
        out.put("name", role.roleName());
        return out;
    }
}
