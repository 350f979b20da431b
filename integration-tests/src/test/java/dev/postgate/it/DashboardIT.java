package dev.postgate.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.postgate.common.testing.GitHubScanningPair;
import dev.postgate.common.testing.TestDatabase;
import dev.postgate.common.testing.TestKeys;
import dev.postgate.common.testing.Tokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The developer dashboard in a real headless browser, through the one base URL: sign in, create
 * a Draft-only key, read its secret once, see it gone after a reload, get a 403 naming
 * posts:publish with it, revoke it in the page, and see the next request refused. Screenshots
 * of each page go to docs/.
 */
class DashboardIT {
    static ProxiedStack stack;
    /** The stand-in for GitHub's secret-scanning key that this key-service trusts. */
    static final GitHubScanningPair GITHUB = GitHubScanningPair.in(Path.of("target", "github-scanning"));
    static ChromeDriver browser;
    static FakeIdentityProvider identityProvider;
    static final String org = TestKeys.newOrg();

    @BeforeAll
    static void start() {
        identityProvider = FakeIdentityProvider.start();
        stack = ProxiedStack.named("dashboard")
                .keysEnv("POSTGATE_DASHBOARD_DEV_SIGN_IN", "true")
                .keysEnv("POSTGATE_DASHBOARD_SIGN_IN_URL", identityProvider.authorizeUrl())
                .keysEnv("POSTGATE_DASHBOARD_SIGN_IN_PROVIDER", "Test IdP")
                .keysEnv("POSTGATE_DASHBOARD_SIGN_IN_CLIENT_ID", "postgate-dashboard")
                .keysEnv("POSTGATE_DASHBOARD_DEV_SIGNING_KEY", Tokens.keyLocation("private.pem"))
                .keysEnv("POSTGATE_SECRET_SCANNING_GITHUB_KEYS_URL", GITHUB.document().toString())
                .start();
        browser = Browser.start(1280, 900);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (stack != null) {
            stack.close();
        }
        if (identityProvider != null) {
            identityProvider.close();
        }
    }

    private WebDriverWait waitUpTo(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }

    private WebElement visible(By by) {
        return waitUpTo(15).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    @Test
    void aDraftOnlyKeyIsCreatedShownOnceRefusedForPublishingAndRevokedFromThePage() {
        String workspaceId = createWorkspaceWithCredits("Launch campaign", 25);

        freshSignInPage();
        assertTrue(browser.findElement(By.id("banner")).getText().contains("off in production"),
                "the page says development sign-in is a development feature");
        Browser.screenshot(browser, "dashboard-sign-in");
        WebElement orgInput = browser.findElement(By.id("org"));
        orgInput.clear();
        orgInput.sendKeys(org);
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("role"))).selectByValue("admin");
        browser.findElement(By.cssSelector("#dev-sign-in button[type=submit]")).click();

        visible(By.id("create-key")).click();
        visible(By.id("key-name")).sendKeys("Scheduler (drafts)");
        browser.findElement(By.cssSelector("#dialog input[name=preset][value=draft]")).click();
        assertFalse(browser.findElement(By.id("scope-posts-publish")).isSelected(), "Draft only leaves posts:publish out");
        assertTrue(browser.findElement(By.id("scope-posts-write")).isSelected());
        assertEveryControlHasALabel();
        Browser.screenshot(browser, "dashboard-create-key");
        browser.findElement(By.id("create-submit")).click();

        WebElement secretField = visible(By.id("new-secret"));
        String secret = secretField.getAttribute("value");
        assertTrue(Pattern.matches("pp_live_sk_[0-9A-Za-z]{38}", secret), "the secret is shown once: " + secret.length());
        assertTrue(browser.findElement(By.id("dialog")).getText().contains("will not be shown again"));
        assertTrue(browser.findElement(By.id("curl-line")).getText().contains("Bearer " + secret));
        // The screenshot must not carry a usable key: mask it on screen first.
        ((JavascriptExecutor) browser).executeScript(
                "document.getElementById('new-secret').value = arguments[0];"
                        + "document.getElementById('curl-line').textContent = document.getElementById('curl-line').textContent.split(arguments[1]).join(arguments[0]);",
                secret.substring(0, 14) + "…(shown once)", secret);
        Browser.screenshot(browser, "dashboard-key-secret");
        // Found by review: Escape closed the dialog, and the key was lost with no warning. It stays until "I have copied it".
        secretField.sendKeys(Keys.ESCAPE);
        assertTrue(browser.findElement(By.id("new-secret")).isDisplayed(), "Escape does not take the new key away");
        browser.findElement(By.id("secret-done")).click();
        // Found by review: the closed dialog kept the secret in the page (the field's value attribute, the curl line, which
        // the screenshot's masking above has changed, so the dialog's content is checked as well).
        waitUpTo(5).until(ExpectedConditions.invisibilityOfElementLocated(By.id("dialog")));
        assertFalse(browser.getPageSource().contains(secret.substring(11)), "once the dialog is closed the secret is nowhere in the page");
        assertEquals(0L, ((JavascriptExecutor) browser).executeScript("return document.getElementById('dialog-body').childElementCount"),
                "the closed dialog keeps nothing it showed");

        WebElement table = visible(By.id("keys-table"));
        assertTrue(table.getText().contains("Scheduler (drafts)"));
        assertTrue(table.getText().contains(secret.substring(0, 14) + "…" + secret.substring(secret.length() - 4)),
                "the list shows the key's start…last4 hint");
        Browser.screenshot(browser, "dashboard-keys");

        browser.navigate().refresh();
        visible(By.id("keys-table"));
        assertFalse(browser.getPageSource().contains(secret), "after a reload the secret is nowhere in the page");
        // Found by review: an address with a stray '%' left the page as it was (decoding it threw); it names no key.
        browser.get(stack.proxy.baseUrl() + "/dashboard#/keys/%E0%A4");
        assertTrue(visible(By.cssSelector("#main p.error")).getText().contains("not found"), "an undecodable key id is not found");
        browser.get(stack.proxy.baseUrl() + "/dashboard#/keys");
        visible(By.id("keys-table"));

        // The key works, but publishing needs posts:publish, which Draft only leaves out.
        Response refused = given().baseUri(stack.proxy.baseUrl()).header("Authorization", "Bearer " + secret)
                .header("X-Workspace-Id", workspaceId)
                .contentType(ContentType.JSON).body("{}")
                .post("/api/v1/posts/post_01JAAAAAAAAAAAAAAAAAAAAAAA/publish");
        assertEquals(403, refused.statusCode(), refused.asString());
        assertEquals("INSUFFICIENT_SCOPE", refused.path("error.code"));
        assertEquals("posts:publish", refused.path("error.required_scope"));
        assertTrue(refused.<String>path("error.message").contains("posts:publish"));
        given().baseUri(stack.proxy.baseUrl()).header("Authorization", "Bearer " + secret).get("/api/v1/whoami")
                .then().statusCode(200).body("data.name", equalTo("Scheduler (drafts)"));

        WebElement row = browser.findElement(By.xpath("//tr[td//a[text()='Scheduler (drafts)']]"));
        row.findElement(By.xpath(".//button[text()='Revoke']")).click();
        WebElement confirm = visible(By.id("revoke-confirm"));
        assertTrue(browser.findElement(By.id("dialog")).getText().contains("permanent"));
        Browser.screenshot(browser, "dashboard-revoke-confirm");
        confirm.click();
        waitUpTo(15).until(ExpectedConditions.textToBePresentInElementLocated(By.id("keys-table"), "revoked"));

        // A generous bound (the revocation benchmark measures the real figure): far below the cache's 10-minute TTL.
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                given().baseUri(stack.proxy.baseUrl()).header("Authorization", "Bearer " + secret).get("/api/v1/whoami")
                        .then().statusCode(401).body("error.reason", equalTo("revoked")));

        // The audit log of the key shows its life.
        browser.findElement(By.xpath("//tr[td//a[text()='Scheduler (drafts)']]//a[text()='Audit log']")).click();
        WebElement audit = visible(By.id("audit-table"));
        assertTrue(audit.getText().contains("create") && audit.getText().contains("revoke"));
        // The key's page shows its revocation receipt (SPEC section 6): "Revoked on 2 of 2 instances in 11 ms."
        String receipt = visible(By.id("propagation")).getText();
        // (or, on a busy machine, partial: "Revoked on 1 of 2 instances so far; not yet confirmed by …")
        assertTrue(receipt.matches("Revoked on \\d+ of \\d+ instances?( in \\d+ ms\\.| so far; not yet confirmed by .*)"),
                "the receipt on the key's page: " + receipt);
        Browser.screenshot(browser, "dashboard-audit");

        // A partial receipt whose instances all applied the change (key-service had not read every instance's report when the
        // wait ended) names why, not an empty list of missing instances (found by review). Staged in the database.
        String keyPage = browser.getCurrentUrl();
        Matcher keyId = Pattern.compile("key_[0-9A-Z]{26}").matcher(keyPage);
        assertTrue(keyId.find(), keyPage);
        assertEquals(1, TestDatabase.schema("key_service").update("update propagation_receipts set complete = false, confirmed_at = null,"
                + " applied = (select jsonb_object_agg(e->>'instance', jsonb_build_object('applied_at', to_char(committed_at at time zone"
                + " 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), 'lag_ms', 1)) from jsonb_array_elements(expected) e)"
                + " where key_id = ? and jsonb_array_length(expected) > 0", keyId.group()));
        browser.get(stack.proxy.baseUrl() + "/dashboard#/keys");
        visible(By.id("keys-table"));
        browser.get(keyPage);
        String staged = visible(By.id("propagation")).getText();
        assertTrue(staged.matches("Revoked on (\\d+) of \\1 instances?; not confirmed, as key-service has not yet read every instance's report"
                + " \\(an instance .*"), "the staged partial receipt: " + staged);

        browser.get(stack.proxy.baseUrl() + "/dashboard#/workspaces");
        WebElement list = visible(By.id("workspaces-table"));
        assertTrue(list.getText().contains("Launch campaign") && list.getText().contains("25"));
        Browser.screenshot(browser, "dashboard-workspaces");
        list.findElement(By.linkText("Ledger")).click();
        WebElement ledger = visible(By.id("ledger-table"));
        assertTrue(ledger.getText().contains("grant"));
        Browser.screenshot(browser, "dashboard-ledger");

        browser.get(stack.proxy.baseUrl() + "/dashboard#/usage");
        assertTrue(visible(By.id("scan-regex")).getText().contains("pp_(live|test)_sk_[0-9A-Za-z]{38}"));
        Browser.screenshot(browser, "dashboard-usage");
    }

    @Test
    void errorsFromTheApiAreShownNextToTheFieldThatCausedThem() {
        signInAs("admin");
        visible(By.id("create-key")).click();
        WebElement name = visible(By.id("key-name"));
        name.sendKeys("x".repeat(20));
        ((JavascriptExecutor) browser).executeScript("arguments[0].removeAttribute('maxlength'); arguments[0].value = arguments[1];",
                name, "y".repeat(120));
        browser.findElement(By.id("create-submit")).click();
        WebElement error = visible(By.id("err-name"));
        assertTrue(error.getText().contains("at most 100"), error.getText());
        assertEquals("true", name.getAttribute("aria-invalid"));
        browser.findElement(By.id("key-name")).sendKeys(Keys.ESCAPE);
    }

    @Test
    void aMemberSeesKeysButCannotChangeThem() {
        TestKeys.create(stack.keys.baseUrl(), org, List.of("posts:read"));
        signInAs("member");
        visible(By.id("keys-table"));
        assertTrue(browser.findElements(By.id("create-key")).isEmpty(), "no create button for members");
        assertTrue(browser.findElements(By.xpath("//button[text()='Revoke']")).isEmpty(), "no revoke button for members");
    }

    /** A key in its roll's overlap window can be renamed or revoked from the page, but not rolled again (the API would refuse: 409). */
    @Test
    void aRolledKeyInItsOverlapOffersNoSecondRoll() {
        TestKeys.IssuedKey old = TestKeys.create(stack.keys.baseUrl(), org, List.of("posts:read"));
        String successor = given().baseUri(stack.proxy.baseUrl()).header("Authorization", "Bearer " + Tokens.admin(org))
                .contentType(ContentType.JSON).body(Map.of("expire_old_in_seconds", 3600))
                .post("/api/v1/keys/" + old.id() + "/roll").then().statusCode(201).extract().path("data.id");

        signInAs("admin");
        WebElement table = visible(By.id("keys-table"));
        WebElement oldRow = table.findElement(By.cssSelector("tr[data-key-id='" + old.id() + "']"));
        assertTrue(oldRow.findElements(By.xpath(".//button[text()='Roll']")).isEmpty(), oldRow.getText());
        assertEquals(1, oldRow.findElements(By.xpath(".//button[text()='Revoke']")).size(), oldRow.getText());
        WebElement newRow = table.findElement(By.cssSelector("tr[data-key-id='" + successor + "']"));
        assertEquals(1, newRow.findElements(By.xpath(".//button[text()='Roll']")).size(), newRow.getText());
    }

    /**
     * Found by review: a roll left for another dialog (Cancel) and answered late, while a new key's
     * secret was on screen, replaced that secret, which was then lost. The late secret now waits
     * for "I have copied it" and is shown next.
     */
    @Test
    void aLateRollAnswerWaitsUntilTheSecretOnScreenIsCopied() throws InterruptedException {
        TestKeys.IssuedKey old = TestKeys.create(stack.keys.baseUrl(), org, List.of("posts:read"));
        signInAs("admin");
        WebElement row = visible(By.id("keys-table")).findElement(By.cssSelector("tr[data-key-id='" + old.id() + "']"));
        // A slow network: the roll's request leaves three seconds late.
        js("const send = window.fetch; window.fetch = (path, init) => String(path).endsWith('/roll')"
                + " ? new Promise((go) => setTimeout(go, 3000)).then(() => send(path, init)) : send(path, init);");
        row.findElement(By.xpath(".//button[text()='Roll']")).click();
        visible(By.id("roll-submit")).click();
        browser.findElement(By.xpath("//dialog[@id='dialog']//button[text()='Cancel']")).click();

        visible(By.id("create-key")).click();
        visible(By.id("key-name")).sendKeys("Made while a roll was on its way");
        browser.findElement(By.id("create-submit")).click();
        String created = visible(By.id("new-secret")).getAttribute("value");
        waitUpTo(15).until(d -> given().baseUri(stack.keys.baseUrl()).header("Authorization", "Bearer " + Tokens.admin(org))
                .get("/api/v1/keys/" + old.id()).path("data.rolled_to") != null);
        // The page has the roll's answer a moment after key-service made it.
        Thread.sleep(1000);
        assertTrue(created.equals(browser.findElement(By.id("new-secret")).getAttribute("value")), "the secret on screen is still the new key's");
        assertEquals("Your new API key", browser.findElement(By.id("dialog-title")).getText());

        browser.findElement(By.id("secret-done")).click();
        waitUpTo(5).until(d -> "Your replacement key".equals(d.findElement(By.id("dialog-title")).getText()));
        String replacement = visible(By.id("new-secret")).getAttribute("value");
        assertTrue(Pattern.matches("pp_live_sk_[0-9A-Za-z]{38}", replacement) && !replacement.equals(created),
                "the replacement's secret is shown next, once");
        browser.findElement(By.id("secret-done")).click();
        waitUpTo(5).until(ExpectedConditions.invisibilityOfElementLocated(By.id("dialog")));
    }

    /** SPEC section 10: a key revoked as leaked says so, with who found it, when and where (a link only for https). */
    @Test
    void aKeyReportedAsLeakedIsMarkedWithWhereAndWhen() {
        TestKeys.IssuedKey onGitHub = TestKeys.create(stack.keys.baseUrl(), org, List.of("posts:read"));
        TestKeys.IssuedKey odd = TestKeys.create(stack.keys.baseUrl(), org, List.of("posts:read"));
        String url = "https://github.com/someone/app/blob/main/.env";
        String report = "[{\"token\":\"" + onGitHub.secret() + "\",\"type\":\"postgate_api_key\",\"url\":\"" + url + "\"},"
                + "{\"token\":\"" + odd.secret() + "\",\"type\":\"postgate_api_key\",\"url\":\"javascript:alert(1)\"}]";
        given().baseUri(stack.proxy.baseUrl()).contentType(ContentType.JSON).header("Github-Public-Key-Identifier", GitHubScanningPair.KEY_ID)
                .header("Github-Public-Key-Signature", GITHUB.sign(report)).body(report)
                .post("/api/v1/secret-scanning/github").then().statusCode(200);

        signInAs("member");
        WebElement table = visible(By.id("keys-table"));
        WebElement row = table.findElement(By.cssSelector("tr[data-key-id='" + onGitHub.id() + "']"));
        assertTrue(row.getText().contains("Leaked"), row.getText());

        browser.get(stack.proxy.baseUrl() + "/dashboard#/keys/" + onGitHub.id());
        WebElement notice = visible(By.id("leak-notice"));
        assertTrue(notice.getText().contains("GitHub secret scanning"), notice.getText());
        assertEquals(url, notice.findElement(By.tagName("a")).getAttribute("href"));

        browser.get(stack.proxy.baseUrl() + "/dashboard#/keys/" + odd.id());
        WebElement oddNotice = waitUpTo(15).until(d -> {
            WebElement n = d.findElement(By.id("leak-notice"));
            return n.getText().contains("javascript:alert(1)") ? n : null;
        });
        assertTrue(oddNotice.findElements(By.tagName("a")).isEmpty(), "an address that is not https is shown as text, never a link");
    }

    @Test
    void thePageWorksAtPhoneWidth() {
        TestKeys.create(stack.keys.baseUrl(), org, List.of("posts:read"));
        ChromeDriver phone = Browser.start(390, 844);
        try {
            phone.get(stack.proxy.baseUrl() + "/dashboard");
            new WebDriverWait(phone, Duration.ofSeconds(15)).until(ExpectedConditions.visibilityOfElementLocated(By.id("org"))).clear();
            phone.findElement(By.id("org")).sendKeys(org);
            phone.findElement(By.cssSelector("#dev-sign-in button[type=submit]")).click();
            WebElement table = new WebDriverWait(phone, Duration.ofSeconds(15))
                    .until(ExpectedConditions.visibilityOfElementLocated(By.id("keys-table")));
            long viewport = (Long) ((JavascriptExecutor) phone).executeScript("return document.documentElement.clientWidth;");
            long pageWidth = (Long) ((JavascriptExecutor) phone).executeScript("return document.documentElement.scrollWidth;");
            assertEquals(390, viewport, "the phone viewport");
            assertTrue(pageWidth <= viewport, "no horizontal scrolling at phone width: page " + pageWidth + " px, viewport " + viewport);
            assertTrue(table.isDisplayed());
            Browser.screenshot(phone, "dashboard-phone");
        } finally {
            phone.quit();
        }
    }

    /**
     * Issue 14, finding 7 (sign-in CSRF): a link carrying someone else's token, which this page
     * never asked for, must not sign the visitor into that organisation.
     */
    @Test
    void anAccessTokenLinkThePageDidNotStartSignsNobodyIn() {
        String attackerOrg = TestKeys.newOrg();
        freshSignInPage();
        browser.get("about:blank");
        browser.get(stack.proxy.baseUrl() + "/dashboard/#access_token=" + Tokens.admin(attackerOrg) + "&state=whatever");
        visible(By.cssSelector("#main h1"));

        assertEquals(null, js("return sessionStorage.getItem('postgate.token');"), "the token is not kept");
        assertFalse(browser.findElement(By.id("who")).isDisplayed(), "nobody is signed in");
        assertFalse(browser.getPageSource().contains(attackerOrg), "the attacker's organisation is nowhere in the page");
        assertFalse(browser.getCurrentUrl().contains("access_token"), "the token is wiped from the address: " + browser.getCurrentUrl());
        assertTrue(visible(By.id("notice")).getText().contains("not started here"), browser.findElement(By.id("notice")).getText());
        visible(By.id("dev-sign-in"));
        Browser.screenshot(browser, "dashboard-sign-in-refused");

        browser.get(stack.proxy.baseUrl() + "/dashboard#/keys");
        browser.navigate().refresh();
        visible(By.id("dev-sign-in"));
        assertTrue(browser.findElements(By.id("keys-table")).isEmpty() && browser.findElements(By.id("create-key")).isEmpty(),
                "the keys page is not reachable");
    }

    @Test
    void anUnsolicitedAccessTokenLinkDoesNotReplaceTheSession() {
        TestKeys.create(stack.keys.baseUrl(), org, List.of("posts:read"));
        signInAs("admin");
        visible(By.id("keys-table"));
        Object session = js("return sessionStorage.getItem('postgate.token');");
        String attackerOrg = TestKeys.newOrg();

        browser.get("about:blank");
        browser.get(stack.proxy.baseUrl() + "/dashboard#access_token=" + Tokens.admin(attackerOrg) + "&state=whatever");
        waitUpTo(15).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#main h1"), "API keys"));
        assertEquals(session, js("return sessionStorage.getItem('postgate.token');"), "the session is the one the user had");
        String who = visible(By.id("who-text")).getText();
        assertTrue(who.contains(org) && !who.contains(attackerOrg), who);
        visible(By.id("keys-table"));
        assertTrue(visible(By.id("notice")).getText().contains("not started here"), browser.findElement(By.id("notice")).getText());
        assertFalse(browser.getCurrentUrl().contains("access_token"), browser.getCurrentUrl());
    }

    @Test
    void aSignInThePageStartedSignsInOnceAndItsLinkCannotBeReplayed() {
        String providerOrg = TestKeys.newOrg();
        identityProvider.issue(request -> Tokens.signDashboard(Tokens.dashboardClaims(providerOrg, "admin")
                .claim("nonce", request.get("nonce"))));
        freshSignInPage();
        WebElement start = visible(By.id("provider-sign-in"));
        assertEquals("Sign in with Test IdP", start.getText());
        start.click();

        waitUpTo(15).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#main h1"), "API keys"));
        assertTrue(visible(By.id("who-text")).getText().contains(providerOrg));
        assertTrue(browser.getCurrentUrl().endsWith("/dashboard#/keys"), "no token left in the address: " + browser.getCurrentUrl());
        Map<String, String> authorize = identityProvider.lastRequest();
        assertEquals("token", authorize.get("response_type"));
        assertEquals("postgate-dashboard", authorize.get("client_id"));
        assertEquals(stack.proxy.baseUrl() + "/dashboard", authorize.get("redirect_uri"));
        assertTrue(authorize.get("state").matches("[A-Za-z0-9_-]{43}"), "state: 256 random bits, " + authorize.get("state"));
        assertTrue(authorize.get("nonce").matches("[A-Za-z0-9_-]{43}"), "nonce: 256 random bits, " + authorize.get("nonce"));
        assertFalse(authorize.get("state").equals(authorize.get("nonce")));
        assertEquals(null, js("return sessionStorage.getItem('postgate.sign-in');"), "the sign-in's state is used up");

        // The same answer again (a copied link, the back button) is not a sign-in any more.
        browser.findElement(By.id("sign-out")).click();
        visible(By.id("dev-sign-in"));
        browser.get("about:blank");
        browser.get(identityProvider.lastRedirect());
        visible(By.id("dev-sign-in"));
        assertTrue(visible(By.id("notice")).getText().contains("not started here"));
        assertEquals(null, js("return sessionStorage.getItem('postgate.token');"));
    }

    @Test
    void aTokenIssuedForAnotherSignInIsRefused() {
        String providerOrg = TestKeys.newOrg();
        // The state matches (the provider echoes it) but the token was issued for another sign-in's nonce.
        identityProvider.issue(request -> Tokens.signDashboard(Tokens.dashboardClaims(providerOrg, "admin")
                .claim("nonce", "the-nonce-of-another-sign-in")));
        freshSignInPage();
        visible(By.id("provider-sign-in")).click();

        assertTrue(visible(By.id("notice")).getText().contains("nonce"), browser.findElement(By.id("notice")).getText());
        visible(By.id("dev-sign-in"));
        assertEquals(null, js("return sessionStorage.getItem('postgate.token');"));
        assertFalse(browser.getPageSource().contains(providerOrg));
        assertFalse(browser.getCurrentUrl().contains("access_token"), browser.getCurrentUrl());
    }

    /** The sign-in page of a browser with no session (each test method starts signed out). */
    private void freshSignInPage() {
        browser.get(stack.proxy.baseUrl() + "/dashboard");
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear();");
        browser.get(stack.proxy.baseUrl() + "/dashboard#/sign-in");
        browser.navigate().refresh();
        visible(By.id("dev-sign-in"));
    }

    private void signInAs(String group) {
        freshSignInPage();
        WebElement orgInput = visible(By.id("org"));
        orgInput.clear();
        orgInput.sendKeys(org);
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("role"))).selectByValue(group);
        browser.findElement(By.cssSelector("#dev-sign-in button[type=submit]")).click();
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private void assertEveryControlHasALabel() {
        Object unlabelled = ((JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll('input, select, textarea')]"
                        + ".filter(e => e.offsetParent !== null)"
                        + ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))"
                        + ".map(e => e.id || e.name);");
        assertEquals(List.of(), unlabelled, "every visible control has a label");
    }

    private static String createWorkspaceWithCredits(String name, int credits) {
        String admin = "Bearer " + Tokens.admin(org);
        String id = given().baseUri(stack.workspaces.baseUrl()).header("Authorization", admin).contentType(ContentType.JSON)
                .body(Map.of("name", name)).post("/api/v1/workspaces").then().statusCode(201).extract().path("data.id");
        given().baseUri(stack.workspaces.baseUrl()).header("Authorization", admin).contentType(ContentType.JSON)
                .body(Map.of("amount", credits, "reason", "Welcome credits")).post("/api/v1/workspaces/" + id + "/credits/grants")
                .then().statusCode(201);
        return id;
    }
}
