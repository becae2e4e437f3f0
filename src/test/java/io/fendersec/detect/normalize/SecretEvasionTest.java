package io.fendersec.detect.normalize;

import static io.fendersec.detect.normalize.SecretRedactorTest.REDACTOR;
import static io.fendersec.detect.normalize.SecretRedactorTest.secretKind;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Issue 27 §3: the review's leaks, each written by hand as the evidence must read. The whole
 * value of a secret goes (quoted values with blanks, the AWS secret key beside its key id), and
 * the common token formats are secrets for the rule and the redactor alike.
 */
class SecretEvasionTest {

    // Mutation caught: the password pattern stops at the first blank of a quoted value (the old
    // [^\s"&,}]{3,}): "horse battery staple" stayed in the evidence. Seen failing before the fix.
    @Test
    void aQuotedPasswordWithBlanksIsRedactedWhole() {
        assertThat(REDACTOR.redact("{\"user\":\"bob\",\"password\":\"correct horse battery staple\"}"))
                .isEqualTo("{\"user\":\"bob\",\"password\":[redacted password]}");
        assertThat(REDACTOR.redact("login password=\"P@ss w0rd\" sent"))
                .isEqualTo("login password=[redacted password] sent");
        assertThat(REDACTOR.redact("pwd = 'P@ss w0rd'; retry")).isEqualTo("pwd = [redacted password]; retry");
        assertThat(REDACTOR.redact("{\"password\":\"say \\\"hi\\\" twice\"}")).isEqualTo("{\"password\":[redacted password]}");
    }

    // Mutation caught: the redactor replaces finds one extractor after another in the text it
    // already changed, or has no AWS secret key pattern: the secret key beside the key id stayed.
    @Test
    void theAwsSecretKeyBesideItsKeyIdIsRedactedToo() {
        assertThat(REDACTOR.redact("aws AKIAIOSFODNN7EXAMPLE secret=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY ok"))
                .isEqualTo("aws [redacted aws_access_key] secret=[redacted aws_secret_key] ok");
        assertThat(REDACTOR.redact("creds AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"))
                .isEqualTo("creds [redacted aws_access_key]:[redacted aws_secret_key]");
    }

    // Mutation caught: any of these token formats missing from the defaults (the rule stays silent
    // and the evidence shows the token). Before the fix none of them was a secret.
    @Test
    void commonTokenFormatsAreSecretsForTheRuleAndTheRedactor() {
        String[][] cases = {
            {"GET /v1 Authorization: Basic dXNlcjpodW50ZXIy", "basic_auth", "GET /v1 Authorization: Basic [redacted basic_auth]"},
            {"charge key sk_live_4eC39HqLyjWDarjtT1zdp7dc", "stripe_key", "charge key [redacted stripe_key]"},
            {"token ghp_16C7e42F292c6912E7710c838347Ae178B4a used", "github_token", "token [redacted github_token] used"},
            {"oauth gho_16C7e42F292c6912E7710c838347Ae178B4a", "github_token", "oauth [redacted github_token]"},
            {"slack xoxb-2048-1234567890-AbCdEfGhIjKlMnOp", "slack_token", "slack [redacted slack_token]"},
            {"maps AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe", "google_api_key", "maps [redacted google_api_key]"},
            {"GET https://ana:s3cret@api.example.com/x", "url_password", "GET https://ana:[redacted url_password]@api.example.com/x"},
        };
        for (String[] c : cases) {
            assertThat(secretKind(c[0])).as(c[0]).isEqualTo(c[1]);
            assertThat(REDACTOR.redact(c[0])).isEqualTo(c[2]);
        }
        String pat = "github_pat_11ABCDEFG0123456789ABC_" + "x7".repeat(29) + "Q"; // 82 characters after the prefix
        assertThat(secretKind("pat " + pat)).isEqualTo("github_token");
    }

    // Mutation caught: a check dropped or a pattern widened: ordinary words after "Basic", a
    // Stripe publishable key, a ${placeholder} or a word beside "password" became secrets.
    @Test
    void lookAlikesAreNotSecrets() {
        for (String benign : new String[] {
            "Basic authentication enabled for the admin panel",
            "publishable pk_live_j5krY8XTgIcDaHDb3YrsAfCl",
            "password: ${PASSWORD}",
            "Login failed for ana@example.com: invalid password",
            "reset password link sent",
        }) {
            assertThat(secretKind(benign)).as(benign).isNull();
            assertThat(REDACTOR.redact(benign)).isEqualTo(benign);
        }
    }
}
