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

    @Test
    void aUrlAfterADashOrAColonIsMaskedToo() {
        SecretMasker m = SecretMasker.none();
        assertThat(m.mask("DATABASE_URL=${DB_URL:-postgres://app:Xk29sLq81vMzT4pw@db/app}"))
                .isEqualTo("DATABASE_URL=${DB_URL:-postgres://app:****@db/app}");
        assertThat(m.mask("${X-redis://:Xk29sLq81vMzT4pw@cache:6379}")).isEqualTo("${X-redis://:****@cache:6379}");
        assertThat(m.mask("url:https://u:Xk29sLq81vMzT4pw@b.example.com")).isEqualTo("url:https://u:****@b.example.com");
        assertThat(m.mask("${REPO:-https://ghp_FAKEfakeFAKEfake0123456789FAKEfake01@github.com/a/b}"))
                .isEqualTo("${REPO:-https://****@github.com/a/b}");
        assertThat(m.mask("-".repeat(100_000) + "a-".repeat(100_000) + "://")).as("linear on dashes").startsWith("---");
    }

    @Test
    void masksATokenThatIsAUrlsWholeUserinfo() {
        SecretMasker m = SecretMasker.none();
        assertThat(m.mask("git+https://ghp_FAKEfakeFAKEfake0123456789FAKEfake01@github.com/acme/x.git#main"))
                .isEqualTo("git+https://****@github.com/acme/x.git#main");
        assertThat(m.mask("see https://glpat-xxxxxxxxxxxxxxxxxxxx@gitlab.com/a/b and https://user:pw@h/x"))
                .isEqualTo("see https://****@gitlab.com/a/b and https://user:****@h/x");
        assertThat(m.mask("git+ssh://git@github.com/acme/x.git")).as("the SSH user git is no secret")
                .isEqualTo("git+ssh://git@github.com/acme/x.git");
        assertThat(m.mask("mail me@example.com or visit https://example.com/a@b")).as("an @ in a path or an address")
                .isEqualTo("mail me@example.com or visit https://example.com/a@b");
        assertThat(m.mask("postgres://app:s3cret@db:5432/app")).isEqualTo("postgres://app:****@db:5432/app");
        assertThat(m.mask("postgres://postgres@127.0.0.1:5432/test")).as("a database user is no secret")
                .isEqualTo("postgres://postgres@127.0.0.1:5432/test");
        assertThat(m.mask("ssh://ghp_FAKEfakeFAKEfake0123456789FAKEfake01@host/x")).isEqualTo("ssh://****@host/x");
        assertThat(m.mask("redis://a1b2c3d4e5f6g7h8@cache:6379")).as("random-looking").isEqualTo("redis://****@cache:6379");
        String hostile = "a://".repeat(50_000) + "b".repeat(100_000);
        long t0 = System.nanoTime();
        m.mask(hostile);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2_000);
    }

    @Test
    void masksSecretFieldsAssignmentsAndTokensInBodies() {
        SecretMasker m = SecretMasker.none();
        assertThat(m.mask("< body: {\"access_token\":\"abc.def-123\",\"token_type\":\"bearer\",\"expires_in\":3600}"))
                .isEqualTo("< body: {\"access_token\":\"****\",\"token_type\":\"bearer\",\"expires_in\":3600}");
        assertThat(m.mask("{\"user\": {\"password\" : \"hunter2\\\"x\"}}")).isEqualTo("{\"user\": {\"password\" : \"****\"}}");
        assertThat(m.mask("DB_PASSWORD=s3cret-value\napi_key=abcd1234")).isEqualTo("DB_PASSWORD=****\napi_key=****");
        assertThat(m.mask("requires credentials: /api/users; Access-Control-Allow-Credentials: true")).as("prose and headers")
                .isEqualTo("requires credentials: /api/users; Access-Control-Allow-Credentials: true");
        assertThat(m.mask("id eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sig-nature_x here"))
                .isEqualTo("id eyJ**** here");
        assertThat(m.mask("token bucket is full; password policy: strong")).as("prose stays readable")
                .isEqualTo("token bucket is full; password policy: strong");
    }

    @Test
    void signedUrlCredentialsAreMasked() {
        String url = "GET https://bucket.s3.amazonaws.com/a.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20240101%2Fus-east-1%2Fs3%2Faws4_request"
                + "&X-Amz-Security-Token=IQoJb3JpZ2luX2VjEJr&X-Amz-Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024"
                + " and https://storage.googleapis.com/b/o?X-Goog-Credential=sa%40p.iam.gserviceaccount.com&x-goog-signature=0a1b2c3d";
        assertThat(SecretMasker.none().mask(url)).isEqualTo("GET https://bucket.s3.amazonaws.com/a.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=****&X-Amz-Security-Token=****&X-Amz-Signature=****"
                + " and https://storage.googleapis.com/b/o?X-Goog-Credential=****&x-goog-signature=****");
    }

    @Test
    void aSecretFromAFileIsMaskedWithOrWithoutItsLineBreak() {
        SecretMasker m = SecretMasker.of(Map.of("API_TOKEN", "sk_live_4eC39HqLyjWDarjtT1zdp7dc\n"));
        assertThat(m.mask("invalid header value: \"Bearer sk_live_4eC39HqLyjWDarjtT1zdp7dc\"")).doesNotContain("sk_live");
    }

    @Test
    void hostileInputIsMaskedInLinearTime() {
        String hostile = "a".repeat(200_000) + "password" + "=".repeat(100_000) + "\"token\":\"" + "\\".repeat(100_000);
        long t0 = System.nanoTime();
        SecretMasker.none().mask(hostile);
        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms to mask 400 KB of hostile text").isLessThan(2_000);
    }
}
