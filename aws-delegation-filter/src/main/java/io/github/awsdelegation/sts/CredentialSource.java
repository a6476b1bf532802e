package io.github.awsdelegation.sts;

/**
 * Obtains temporary credentials from STS for one user and role. There is one implementation per STS
 * operation; {@link WebIdentityCredentialSource} calls STS AssumeRoleWithWebIdentity.
 *
 * <p>Implementations are thread-safe and do no caching: {@link io.github.awsdelegation.cache.CredentialCache}
 * sits in front of them.
 */
public interface CredentialSource extends AutoCloseable {

    /**
     * Obtains credentials.
     *
     * @throws io.github.awsdelegation.role.RoleDeniedException when STS refuses for a reason the
     *         configuration must fix (trust policy, malformed or too large session policy)
     * @throws io.github.awsdelegation.token.TokenRejectedException when STS rejects the user's token
     * @throws CredentialsUnavailableException when STS cannot be reached, times out, throttles or fails
     */
    IssuedCredentials issue(CredentialRequest request);

    /** Releases the STS client and its connections. */
    @Override
    void close();
}
