package dev.junction.platform.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Mints HS256 tokens signed with the platform's JWT secret: for the {@code token} command and the
 * admin token printed in dev mode. Production deployments usually take tokens from their identity
 * provider instead ({@code JUNCTION_JWKS_URL}).
 */
public final class TokenMinter {

    /** HS256 needs a key of at least 256 bits. */
    public static final int MIN_SECRET_BYTES = 32;

    private final byte[] secret;

    public TokenMinter(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        if (this.secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("The JWT secret must be at least " + MIN_SECRET_BYTES + " bytes");
        }
    }

    /**
     * @param subject the {@code sub} claim
     * @param roles   role names, see {@link Role}
     * @param tenant  tenant slug for tenant roles, or null
     * @param ttl     how long the token is valid
     */
    public String mint(String subject, List<String> roles, String tenant, Duration ttl, Instant now) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .claim(JunctionClaimsValidator.ROLES_CLAIM, roles);
        if (tenant != null) {
            claims.claim(JunctionClaimsValidator.TENANT_CLAIM, tenant);
        }
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("Could not sign the token", e);
        }
    }
}
