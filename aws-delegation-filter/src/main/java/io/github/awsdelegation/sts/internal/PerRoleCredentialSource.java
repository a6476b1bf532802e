package io.github.awsdelegation.sts.internal;

import io.github.awsdelegation.role.RoleDeniedException;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.sts.CredentialRequest;
import io.github.awsdelegation.sts.CredentialSource;
import io.github.awsdelegation.sts.IssuedCredentials;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses, for each role, the source of the STS operation the role is assumed with ({@link RoleGrant#federation()}):
 * AssumeRoleWithWebIdentity, AssumeRoleWithSAML or AssumeRole. The cache, the errors and the request attribute are the same
 * whichever it is.
 */
public final class PerRoleCredentialSource implements CredentialSource {

    private static final Logger LOG = LoggerFactory.getLogger(PerRoleCredentialSource.class);

    private final CredentialSource webIdentity;
    private final CredentialSource saml;
    private final CredentialSource assumeRole;

    /**
     * Creates the router.
     *
     * @param webIdentity the source of roles assumed with web identity
     * @param saml        the source of roles assumed with SAML, or {@code null} when SAML is not configured
     * @param assumeRole  the source of roles assumed with the app's own credentials ({@code federation: assume-role}), or
     *                    {@code null}
     */
    public PerRoleCredentialSource(CredentialSource webIdentity, CredentialSource saml, CredentialSource assumeRole) {
        this.webIdentity = Objects.requireNonNull(webIdentity, "webIdentity");
        this.saml = saml;
        this.assumeRole = assumeRole;
    }

    /**
     * {@inheritDoc}
     *
     * @throws RoleDeniedException also when a role (from a rule in code) is assumed with SAML but SAML is not configured
     */
    @Override
    public IssuedCredentials issue(CredentialRequest request) {
        if (request.role().federation() == RoleGrant.Federation.ASSUME_ROLE) {
            if (assumeRole == null) {
                LOG.error("Role {} is assumed with AssumeRole, but no AssumeRole source is configured", request.role().roleArn());
                throw new RoleDeniedException("role " + request.role().roleArn() + " is assumed with AssumeRole, but this "
                        + "app has no AssumeRole source");
            }
            return assumeRole.issue(request);
        }
        if (request.role().federation() != RoleGrant.Federation.SAML) {
            return webIdentity.issue(request);
        }
        if (saml == null) {
            LOG.error("Role {} is assumed with SAML, but the configuration has no saml section", request.role().roleArn());
            throw new RoleDeniedException("role " + request.role().roleArn() + " is assumed with SAML, but this app is not "
                    + "configured as a SAML identity provider (no saml section)");
        }
        return saml.issue(request);
    }

    @Override
    public void close() {
        try {
            webIdentity.close();
        } finally {
            try {
                if (saml != null) {
                    saml.close();
                }
            } finally {
                if (assumeRole != null) {
                    assumeRole.close();
                }
            }
        }
    }
}
