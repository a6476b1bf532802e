package io.github.awsdelegation.testkit;

import java.net.URI;
import java.util.List;

/**
 * An IAM OIDC identity provider registered at {@link LocalSts}: the issuer, its IAM id (host, port and path without
 * scheme or trailing slash), its ARN and the client ids (audiences) it accepts.
 */
record OidcProvider(URI issuer, String providerId, String arn, List<String> clientIds) {
}
