package dev.junction.platform.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import dev.junction.platform.support.Tokens;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Forged, expired and malformed tokens are all 401; none reaches data. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JwtAttackTest extends ApiTestBase {

    private String tenant;
    private String other;

    @BeforeAll
    void setUp() {
        tenant = newTenant("jwt");
        other = newTenant("jwt-other");
        assertEquals(201, tenantAdmin(other).put("/v1/admin/secrets/prize", Map.of("value", "p")).status());
    }

    private JWTClaimsSet.Builder validClaims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().subject("attacker").issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(600)))
                .claim("roles", List.of("tenant-admin")).claim("tenant", tenant);
    }

    private static String hs256(JWTClaimsSet claims, String secret) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private void assertRejected(String token, String why) {
        Api.Response r = api().as(token).get("/v1/admin/secrets");
        assertEquals(401, r.status(), why + ": " + r);
        assertEquals("application/problem+json", r.contentType());
        assertEquals(401, api().as(token).get("/v1/admin/tenants").status(), why);
    }

    @Test
    void theValidControlTokenWorks() throws JOSEException {
        assertEquals(200, api().as(hs256(validClaims().build(), Tokens.SECRET)).get("/v1/admin/secrets").status());
    }

    @Test
    void algNoneIsRejected() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(validClaims().claim("roles", List.of("platform-admin")).build()
                .toString().getBytes(StandardCharsets.UTF_8));
        assertRejected(header + "." + payload + ".", "alg none");
    }

    @Test
    void wrongKeyIsRejected() throws JOSEException {
        assertRejected(hs256(validClaims().build(), "another-secret-of-sufficient-length-0123456789"), "wrong HMAC key");
    }

    @Test
    void rs256TokenIsRejectedWhenOnlyTheHmacSecretIsTrusted() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair kp = g.generateKeyPair();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), validClaims().build());
        jwt.sign(new RSASSASigner(kp.getPrivate()));
        assertRejected(jwt.serialize(), "RS256 with an untrusted key");
        // key confusion: the attacker's public key used as an HMAC secret
        String publicKeyAsSecret = Base64.getEncoder().encodeToString(kp.getPublic().getEncoded());
        assertRejected(hs256(validClaims().build(), publicKeyAsSecret), "HS256 keyed with a public key");
    }

    @Test
    void expiredAndNotYetValidAreRejected() throws JOSEException {
        Instant now = Instant.now();
        assertRejected(hs256(validClaims().expirationTime(Date.from(now.minusSeconds(120))).build(), Tokens.SECRET), "expired");
        assertRejected(hs256(validClaims().notBeforeTime(Date.from(now.plusSeconds(3600))).build(), Tokens.SECRET), "nbf in the future");
    }

    @Test
    void requiredClaimsAreEnforced() throws JOSEException {
        assertRejected(hs256(validClaims().expirationTime(null).build(), Tokens.SECRET), "no exp");
        assertRejected(hs256(validClaims().subject(null).build(), Tokens.SECRET), "no sub");
        assertRejected(hs256(validClaims().claim("tenant", null).build(), Tokens.SECRET), "tenant role without tenant");
        assertRejected(hs256(validClaims().claim("tenant", "Not A Slug").build(), Tokens.SECRET), "malformed tenant");
        assertRejected(hs256(validClaims().claim("tenant", "never-created-tenant").build(), Tokens.SECRET), "unknown tenant");
        assertRejected(hs256(validClaims().claim("roles", "tenant-admin").build(), Tokens.SECRET), "roles not an array");
    }

    @Test
    void tamperedClaimsAreRejected() throws JOSEException {
        String token = hs256(validClaims().build(), Tokens.SECRET);
        String[] parts = token.split("\\.");
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String toOther = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"" + tenant + "\"", "\"" + other + "\"");
        assertRejected(parts[0] + "." + b64.encodeToString(toOther.getBytes(StandardCharsets.UTF_8)) + "." + parts[2],
                "tenant claim changed");
        String toAdmin = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("tenant-admin", "platform-admin");
        assertRejected(parts[0] + "." + b64.encodeToString(toAdmin.getBytes(StandardCharsets.UTF_8)) + "." + parts[2],
                "role escalated");
    }

    @Test
    void garbageIsRejected() {
        assertRejected("not-a-token", "garbage");
        assertRejected("a.b.c", "three garbage parts");
        assertRejected("", "empty");
    }

    @Test
    void tokenOfADeletedTenantIsRejected() {
        String doomed = newTenant("doomed");
        String token = Tokens.tenantAdmin(doomed);
        assertEquals(200, api().as(token).get("/v1/admin/secrets").status());
        assertEquals(204, platformAdmin().delete("/v1/admin/tenants/" + doomed).status());
        assertRejected(token, "deleted tenant");
        assertRejected(Tokens.viewer(doomed), "viewer of deleted tenant");
        assertEquals(401, api().as(token).post("/v1/admin/tenants", Map.of("slug", "sneaky", "name", "x")).status(),
                "401 even where the role would be refused");
    }
}
