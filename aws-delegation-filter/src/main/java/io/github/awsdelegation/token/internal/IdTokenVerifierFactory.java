package io.github.awsdelegation.token.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import java.security.Key;
import java.security.interfaces.EdECPublicKey;
import java.util.LinkedHashSet;
import java.util.Set;

/** Nimbus's verifier factory for RSA and EC keys, plus {@link EdDsaSupport} for EdDSA keys. */
public final class IdTokenVerifierFactory implements JWSVerifierFactory {

    private final DefaultJWSVerifierFactory delegate = new DefaultJWSVerifierFactory();

    @Override
    public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
        if (EdDsaSupport.ALGORITHMS.contains(header.getAlgorithm())) {
            if (!(key instanceof EdECPublicKey edKey)) {
                throw new JOSEException("an EdDSA token needs an EdDSA key");
            }
            return new EdDsaSupport.Verifier(edKey);
        }
        return delegate.createJWSVerifier(header, key);
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        Set<JWSAlgorithm> all = new LinkedHashSet<>(delegate.supportedJWSAlgorithms());
        all.addAll(EdDsaSupport.ALGORITHMS);
        return all;
    }

    @Override
    public JCAContext getJCAContext() {
        return delegate.getJCAContext();
    }
}
