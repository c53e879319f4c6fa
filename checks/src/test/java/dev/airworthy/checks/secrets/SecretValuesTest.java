package dev.airworthy.checks.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretValuesTest {

    @Test
    void secretNamesInSeparatedCamelAndRunTogetherForms() {
        assertThat(List.of("DB_PASSWORD", "db-password", "dbPassword", "jwtSecret", "STRIPE_API_KEY", "SECRET_KEY",
                "PGPASSWORD", "dbpassword", "MYSQL_PWD", "GITHUBTOKEN", "DJANGO_SECRETKEY", "REDISCLI_AUTH", "NEO4J_AUTH",
                "neo4jAuth", "RABBITMQ_ERLANG_COOKIE", "ERLANG_COOKIE", "MINIO_ROOT_PASSWORD", "appsecret"))
                .allMatch(SecretValues::isSecretName);
    }

    @Test
    void namesThatDescribeASecretOrOnlyLookLikeOne() {
        assertThat(List.of("PASSWORD_MIN_LENGTH", "TOKEN_TTL", "SECRET_NAME", "PASSWORD_FILE", "MAX_TOKENS", "OPENAI_MAX_TOKENS",
                "PASSWORDLESS_LOGIN", "TOKENIZER_MODEL", "SESSION_COOKIE", "AUTH", "BASIC_AUTH_ENABLED", "OAUTH_AUTH",
                "STRIPE_PUBLISHABLE_KEY", "AWS_ACCESS_KEY_ID", "KEYCLOAK_URL", "HTTP2Server", "DB_USER"))
                .noneMatch(SecretValues::isSecretName);
    }
}
