package dev.airworthy.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretMaskerTest {
    private final SecretMasker masker = SecretMasker.of(Map.of(
            "DB_PASSWORD", "pg-pass", "BUILD_ID", "a1b2c3d4e5f6g7h8", "REGION", "eu-west-1", "SHORT_KEY", "abc"));

    @Test
    void masksValuesTakenFromSecretLookingOrRandomLookingVariables() {
        assertThat(masker.mask("login pg-pass build a1b2c3d4e5f6g7h8 in eu-west-1"))
                .isEqualTo("login ${DB_PASSWORD} build ${BUILD_ID} in eu-west-1");
        assertThat(masker.mask("abc")).as("too short to mask without mangling text").isEqualTo("abc");
    }

    @Test
    void masksCredentialsInHeadersUrlsAndQueries() {
        SecretMasker m = SecretMasker.none();
        assertThat(m.mask("> Authorization: Bearer eyJhbGciOi.x.y")).isEqualTo("> Authorization: Bearer ****");
        assertThat(m.mask("X-Api-Key: 12345")).isEqualTo("X-Api-Key: ****");
        assertThat(m.mask("< Set-Cookie: session=abc123; Path=/; HttpOnly; SameSite=Lax"))
                .isEqualTo("< Set-Cookie: session=****; Path=/; HttpOnly; SameSite=Lax");
        assertThat(m.mask("postgres://app:s3cret@db:5432/app")).isEqualTo("postgres://app:****@db:5432/app");
        assertThat(m.mask("jdbc:postgresql://db/app?user=app&password=s3cret")).isEqualTo("jdbc:postgresql://db/app?user=app&password=****");
        assertThat(m.mask("GET /health → 200")).isEqualTo("GET /health → 200");
    }
}
