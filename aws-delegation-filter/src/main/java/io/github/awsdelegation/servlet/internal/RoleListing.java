package io.github.awsdelegation.servlet.internal;

import io.github.awsdelegation.EntryPoint;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.github.awsdelegation.DelegationException;
import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.config.SamlEndpointSettings;
import io.github.awsdelegation.role.RoleDecision;
import io.github.awsdelegation.role.RoleGrant;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lists the roles the rules permit the signed-in user (browser session or bearer token), as
 * {@code saml-login aws-assume-role --show} does: for each role its ARN, account (and alias), name, how it is
 * assumed ({@code federation}: the STS operation), the region its credentials come from, whether it is offered for the console, and a suggested AWS CLI
 * profile name {@code Role@alias} (the account id when there is no alias). JSON by default; with
 * {@code Accept: text/plain}, one tab-separated line per role: profile, role ARN, account.
 */
final class RoleListing implements Endpoint {

    private final DelegationService service;
    private final SamlEndpointSettings settings;
    private final Authenticator authenticator;

    RoleListing(DelegationService service, Authenticator authenticator) {
        this.service = service;
        this.settings = service.config().samlEndpoints();
        this.authenticator = authenticator;
    }

    @Override
    public String path() {
        return settings.rolesPath();
    }

    @Override
    public List<String> methods() {
        return List.of("GET", "HEAD");
    }

    @Override
    public String usage() {
        return "use GET to list roles";
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        SignedInUser user;
        RoleDecision decision;
        try {
            user = authenticator.authenticate(request, true);
            if (user == null) {
                Answers.send(request, response, Problem.invalidToken(
                        "no ID token: sign in or send Authorization: Bearer <ID token>"));
                return;
            }
            decision = service.decider().permittedRoles(user.identity(), EntryPoint.ROLE_LISTING);
        } catch (DelegationException e) {
            Answers.send(request, response, e);
            return;
        }
        List<Map<String, Object>> roles = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (RoleGrant role : decision.permitted()) {
            String alias = settings.accountAlias(role.accountId()).orElse(null);
            String profile = role.roleName() + "@" + (alias != null ? alias : role.accountId());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("profile", profile);
            entry.put("roleArn", role.roleArn());
            entry.put("roleName", role.roleName());
            entry.put("accountId", role.accountId());
            entry.put("accountAlias", alias);
            entry.put("partition", role.partition());
            entry.put("region", service.planner().regionFor(role).id());
            entry.put("federation", role.federation().configName());  // the STS operation; "issuer" is the OIDC iss only
            entry.put("principalArn", role.principalArn());
            entry.put("console", settings.consolePath() != null && SamlSignIn.offeredForConsole(role));
            // false: the role's own tags or source identity need an assertion of its own (app chooser, CLI --role)
            entry.put("multiRoleAssertion", !SamlSignIn.hasOwnScoping(role));
            entry.put("default", role.equals(decision.role()));
            roles.add(entry);
            text.append(profile).append('\t').append(role.roleArn()).append('\t')
                    .append(alias != null ? alias + " (" + role.accountId() + ")" : role.accountId()).append('\n');
        }
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        String accept = request.getHeader("Accept");
        if (accept != null && accept.startsWith("text/plain")) {
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write(text.toString());
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("subject", user.identity().subject());
        body.put("rule", decision.ruleId());
        body.put("roles", roles);
        response.setContentType("application/json;charset=UTF-8");
        response.getWriter().write(JSONObjectUtils.toJSONString(body));
    }
}
