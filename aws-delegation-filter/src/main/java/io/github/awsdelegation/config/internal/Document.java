package io.github.awsdelegation.config.internal;

import io.github.awsdelegation.config.AdminSettings;
import io.github.awsdelegation.config.CacheSettings;
import io.github.awsdelegation.config.ClientSettings;
import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.config.DelegationConfig;
import io.github.awsdelegation.config.LoginSettings;
import io.github.awsdelegation.config.OidcSettings;
import io.github.awsdelegation.config.RequestSettings;
import io.github.awsdelegation.role.RoleRule;
import io.github.awsdelegation.sts.StsSettings;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The configuration document: one component per section (docs/configuration.md). A section left out has its
 * defaults; {@code login} is on when given (unless {@code enabled: false}), {@code saml} when given.
 *
 * @param oidc    the OpenID Provider; required
 * @param sts     how STS is reached; required
 * @param cache   the credential cache
 * @param request where requests carry tokens and role requests
 * @param login   the built-in login, or {@code null} when off
 * @param clients the AWS clients built for the app's users
 * @param saml    the SAML identity provider and its endpoints, or {@code null}
 * @param rules   the role rules in order
 * @param admin   the admin paths (explain, health), or {@code null} when off
 */
public record Document(@Required OidcSettings oidc, @Required @BindAs(StsDocument.class) StsSettings sts, CacheSettings cache,
        RequestSettings request, @Switchable LoginSettings login, ClientSettings clients,
        @BindAs(SamlDocument.class) SamlDocument.Saml saml, List<RuleDocument> rules, @Switchable AdminSettings admin) {

    /**
     * Returns the configuration: the sections, and the rules made from their entries followed by the rules registered
     * through {@link ServiceLoader} that the document does not name.
     *
     * @throws ConfigurationException naming the key at fault
     */
    public DelegationConfig config(ClassLoader classLoader) {
        DelegationConfig.Builder config = DelegationConfig.builder().oidc(oidc).sts(sts).login(login).admin(admin);
        if (cache != null) {
            config.cache(cache);
        }
        if (request != null) {
            config.request(request);
        }
        if (clients != null) {
            config.clients(clients);
        }
        if (saml != null) {
            config.saml(saml.settings(), saml.endpoints());
        }
        List<RoleRule> built = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            RuleDocument entry = rules.get(i);
            RoleRule rule = YamlBinderSupport.within("rules[" + i + "]", () -> entry.rule(classLoader));
            if (!ids.add(rule.id())) {
                throw new ConfigurationException("rules[" + i + "].id", "rule id '" + rule.id() + "' is used twice; ids must be unique");
            }
            built.add(rule);
        }
        if (!built.isEmpty()) {
            for (RoleRule rule : ServiceLoader.load(RoleRule.class, classLoader)) {
                if (built.stream().noneMatch(r -> r.getClass() == rule.getClass()) && ids.add(rule.id())) {
                    built.add(rule);
                }
            }
        }
        return config.rules(built).build();
    }
}
