package io.fendersec.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.junit.jupiter.api.Test;

/**
 * Dashboard links filled with device-written ids (an attacker names his device and can repackage
 * the app): each value stays inside its placeholder, whatever characters it holds. Expected links
 * are written out by hand, byte by byte, from RFC 3986 (everything but {@code A-Z a-z 0-9 - . _ ~}
 * percent-encoded as UTF-8).
 *
 * <p>Mutations caught: encoding with {@code URLEncoder} (a blank becomes {@code +}, {@code *} stays,
 * {@code ~} is encoded); leaving {@code /}, {@code ?}, {@code #} or {@code :} as they are (the value
 * leaves its path segment, or starts a fragment); filling placeholders inside values already filled
 * (a device named {@code {log}}); a device named {@code ..} linked as a path segment (the browser
 * resolves it to the parent page: WHATWG URLs treat {@code %2e%2e} as {@code ..} too, so no
 * encoding helps, and no link is given).
 */
class DashboardLinksTest {
    static final DashboardLinks LINKS = DashboardLinks.parse(
            "https://dash.example/app/{app}/device/{device}?log={log}", "report.dashboard-url");

    @Test
    void hostileIdsArePercentEncodedInTheirPlace() {
        assertThat(LINKS.device("app-1", "a/../../admin?x=1#frag"))
                .isEqualTo("https://dash.example/app/app-1/device/a%2F..%2F..%2Fadmin%3Fx%3D1%23frag?log=");
        assertThat(LINKS.device("x\" onclick=\"alert(1)", "d"))
                .isEqualTo("https://dash.example/app/x%22%20onclick%3D%22alert%281%29/device/d?log=");
        assertThat(LINKS.device("app-1", "\r\nSet-Cookie: a=b"))
                .isEqualTo("https://dash.example/app/app-1/device/%0D%0ASet-Cookie%3A%20a%3Db?log=");
        assertThat(LINKS.device("app-1", "é😀\u0000"))
                .isEqualTo("https://dash.example/app/app-1/device/%C3%A9%F0%9F%98%80%00?log=");
        assertThat(LINKS.log("app-1", "{log}", "javascript:alert(1)&next=//evil.example"))
                .isEqualTo("https://dash.example/app/app-1/device/%7Blog%7D?log=javascript%3Aalert%281%29%26next%3D%2F%2Fevil.example");
        assertThat(LINKS.device("app-1", "a b+c*~_.-"))
                .isEqualTo("https://dash.example/app/app-1/device/a%20b%2Bc%2A~_.-?log=");
        // A lone surrogate (invalid UTF-16) is encoded as Java's UTF-8 encoder replaces it: '?'.
        assertThat(LINKS.device("app-1", "x\uD800")).isEqualTo("https://dash.example/app/app-1/device/x%3F?log=");
    }

    @Test
    void everyLinkKeepsItsHostAndItsPathPrefix() {
        for (String hostile : new String[] {"a/../../admin", "@evil.example", "//evil.example/x", "?", "#", "%2e%2e",
                "...", " ", "\\..\\", "\u202e", "a%00b"}) {
            URI u = URI.create(LINKS.device("app-1", hostile));
            assertThat(u.getHost()).as(hostile).isEqualTo("dash.example");
            assertThat(u.getRawPath()).as(hostile).startsWith("/app/app-1/device/");
            assertThat(u.getRawPath().substring(18)).as(hostile).doesNotContain("/");
            assertThat(u.normalize()).as("no dot segment: " + hostile).isEqualTo(u);
            assertThat(u.getRawFragment()).as(hostile).isNull();
        }
    }

    @Test
    void aDotSegmentGetsNoLink() {
        assertThat(LINKS.device("app-1", "..")).isNull();
        assertThat(LINKS.device("app-1", ".")).isNull();
        assertThat(LINKS.device("..", "d")).isNull();
        assertThat(LINKS.log("app-1", "d", "..")).isNull();
        assertThat(LINKS.device("app-1", "...")).isEqualTo("https://dash.example/app/app-1/device/...?log=");
    }
}
