package dev.junction.platform.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.Tokens;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * JUNCTION_JWKS_URL: tokens of an identity provider (RS256 and ES256), verified with its JWKS,
 * beside the platform's own HS256 secret.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JwksTokenTest {

    private HttpServer idp;
    private EmbeddedServer server;
    private RSAKey rsa;
    private ECKey ec;

    @BeforeAll
    void start() throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        byte[] jwks = new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString().getBytes(StandardCharsets.UTF_8);
        idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        idp.createContext("/.well-known/jwks.json", x -> {
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(200, jwks.length);
            x.getResponseBody().write(jwks);
            x.close();
        });
        idp.start();
        server = ApplicationContext.run(EmbeddedServer.class, Map.of("micronaut.server.port", -1,
                "micronaut.security.token.jwt.signatures.jwks.idp.url",
                "http://127.0.0.1:" + idp.getAddress().getPort() + "/.well-known/jwks.json"), "test");
    }

    @AfterAll
    void stop() {
        server.close();
        idp.stop(0);
    }

    private static JWTClaimsSet claims() {
        return new JWTClaimsSet.Builder().subject("idp-user").expirationTime(Date.from(Instant.now().plusSeconds(300)))
                .claim("roles", List.of("platform-admin")).build();
    }

    @Test
    void rs256AndEs256TokensOfTheProviderAreAccepted() throws Exception {
        SignedJWT rs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), claims());
        rs.sign(new RSASSASigner(rsa));
        SignedJWT es = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").build(), claims());
        es.sign(new ECDSASigner(ec));
        Api api = new Api(server.getURI());
        assertEquals(200, api.as(rs.serialize()).get("/v1/admin/tenants").status());
        assertEquals(200, api.as(es.serialize()).get("/v1/admin/tenants").status());
        assertEquals(200, api.as(Tokens.platformAdmin()).get("/v1/admin/tenants").status(), "the HS256 secret still works");
    }

    @Test
    void aKeyTheProviderDoesNotPublishIsRejected() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), claims());
        forged.sign(new RSASSASigner(stranger));
        assertEquals(401, new Api(server.getURI()).as(forged.serialize()).get("/v1/admin/tenants").status());
    }

    /**
     * Key confusion: an attacker signs an HS256 token with the provider's public RSA key (which
     * anyone can fetch from the JWKS) as the HMAC secret, hoping the server verifies HS256 with it.
     */
    @Test
    void anHs256TokenKeyedWithTheProvidersPublicKeyIsRejected() throws Exception {
        for (byte[] secret : List.of(rsa.toRSAPublicKey().getEncoded(), rsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8),
                ("-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(rsa.toRSAPublicKey().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n").getBytes(StandardCharsets.UTF_8))) {
            SignedJWT confused = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), claims());
            confused.sign(new com.nimbusds.jose.crypto.MACSigner(secret));
            assertEquals(401, new Api(server.getURI()).as(confused.serialize()).get("/v1/admin/tenants").status());
        }
    }
}
