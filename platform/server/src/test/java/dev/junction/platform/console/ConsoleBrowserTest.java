package dev.junction.platform.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.junction.fakesendgrid.FakeSendGrid;
import dev.junction.platform.support.Api;
import dev.junction.platform.support.ApiTestBase;
import dev.junction.platform.support.FakeSendGridServer;
import dev.junction.platform.support.SendGridWebhookData;
import dev.junction.platform.support.Tokens;
import dev.junction.testkit.MutableClock;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console in a real browser: Debian's Chromium, headless, driven through its chromedriver.
 * SendGrid is installed through the form rendered from its config schema (against the fake
 * SendGrid), SendGrid's own signed test vector is posted to the webhook URL the console shows,
 * and the events appear in the live view as they are committed. The server's clock is set to just
 * after the vector was signed, as in SignedWebhookTest. Screenshots: target/surefire-reports/screenshots.
 *
 * <p>Chromium missing fails this test with the command that installs it (.ci/prepare runs it in CI).
 * A developer without Chromium may skip it with {@code -Djunction.browser-tests=skip} (never in CI).
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest extends ApiTestBase implements TestPropertyProvider {

    private static final JsonNode VECTOR = SendGridWebhookData.signatureVector();
    private static final Instant SIGNED_AT = Instant.ofEpochSecond(Long.parseLong(VECTOR.get("timestamp").asText()));
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final FakeSendGrid sendgrid = FakeSendGridServer.get();
    private ChromeDriver driver;
    private Path screenshots;
    private Path profile;

    @Inject
    MutableClock clock;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(FakeSendGridServer.properties());
        p.put("junction.test.vector-clock", "true"); // SignedWebhookTest.VectorClock
        p.put("junction.cohort-sync.poll-interval", "200ms");
        p.put("junction.cohort-sync.retry-base", "200ms");
        return p;
    }

    @BeforeAll
    void startBrowser() throws IOException {
        File chromium = new File(System.getProperty("junction.test.chromium", "/usr/bin/chromium"));
        File chromedriver = new File(System.getProperty("junction.test.chromedriver", "/usr/bin/chromedriver"));
        if (!chromium.canExecute() || !chromedriver.canExecute()) {
            boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
            Assumptions.assumeFalse(!ci && "skip".equals(System.getProperty("junction.browser-tests")),
                    "browser tests skipped on request (-Djunction.browser-tests=skip)");
            throw new AssertionError("The console's browser test needs Chromium and its driver: " + chromium + " and "
                    + chromedriver + " are not both there. Install them with: apt-get install -y chromium chromium-driver "
                    + "(CI does it in .ci/prepare), or skip locally with -Djunction.browser-tests=skip");
        }
        screenshots = Files.createDirectories(Path.of("target", "surefire-reports", "screenshots"));
        profile = Files.createTempDirectory("junction-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver)
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(WAIT);
    }

    @AfterAll
    void stopBrowser() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private <T> T await(String what, Supplier<T> condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                T value = condition.get();
                if (value != null && !Boolean.FALSE.equals(value)) {
                    return value;
                }
            } catch (RuntimeException e) {
                last = e; // not there yet (stale element, not found)
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        shot("failed-" + what.replaceAll("[^a-zA-Z0-9]+", "-"));
        throw new AssertionError("Timed out waiting for " + what + " (page: " + driver.getCurrentUrl() + ", status: "
                + statusText() + ")", last);
    }

    private String statusText() {
        try {
            return driver.findElement(By.id("status")).getText();
        } catch (RuntimeException e) {
            return "?";
        }
    }

    private WebElement element(By by) {
        return await(by.toString(), () -> {
            WebElement e = driver.findElement(by);
            return e.isDisplayed() ? e : null;
        });
    }

    private void awaitText(By by, String text) {
        await(by + " to contain '" + text + "'", () -> driver.findElement(by).getText().contains(text));
    }

    private void shot(String name) {
        try {
            Files.write(screenshots.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException | RuntimeException e) {
            System.err.println("screenshot " + name + " failed: " + e);
        }
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Every visible form control has a label (or an aria-label); a button has text. */
    @SuppressWarnings("unchecked")
    private void assertLabelled() {
        List<String> unlabelled = (List<String>) js("return [...document.querySelectorAll('input,select,textarea,button')]"
                + ".filter(el => el.offsetParent !== null)"
                + ".filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')"
                + "  && !(el.tagName === 'BUTTON' && el.textContent.trim()))"
                + ".map(el => el.outerHTML.slice(0, 120))");
        assertEquals(List.of(), unlabelled, "form controls without a label on " + driver.getCurrentUrl());
    }

    private void signIn(String token) {
        driver.get(server.getURI().resolve("/console").toString());
        element(By.id("token")).sendKeys(token);
        driver.findElement(By.cssSelector("#token-form button[type=submit]")).click();
        awaitText(By.id("status"), "Signed in");
        assertFalse(driver.getCurrentUrl().contains(token), "the token is never in a URL");
        assertEquals(token, js("return sessionStorage.getItem('junction.token')"));
        assertEquals(0L, ((Number) js("return localStorage.length")).longValue(), "nothing in localStorage");
    }

    private Api.Response postVector(String path, String payload) {
        return api().with("X-Twilio-Email-Event-Webhook-Signature", VECTOR.get("signature").asText())
                .with("X-Twilio-Email-Event-Webhook-Timestamp", VECTOR.get("timestamp").asText())
                .send("POST", path, "application/json", payload.getBytes(StandardCharsets.UTF_8));
    }

    private By eventRow(String attribute, String value) {
        return By.cssSelector("#event-rows tr[" + attribute + "=\"" + value.replace("\"", "\\\"") + "\"]");
    }

    // ------------------------------------------------------------------ tests

    @Test
    void installSendGridThroughTheFormAndWatchSignedEventsArriveLive() {
        clock.set(SIGNED_AT.plusSeconds(30));
        String tenant = newTenant("console");
        String key = "SG.console-" + UUID.randomUUID().toString().replace("-", "");
        sendgrid.addApiKey(key, FakeSendGrid.MARKETING_SCOPES);

        signIn(Tokens.tenantAdmin(tenant));
        element(By.cssSelector("[data-slug=sendgrid]"));
        assertLabelled();
        shot("01-catalog");

        driver.findElement(By.cssSelector("[data-slug=sendgrid] a.install-link")).click();
        WebElement apiKey = element(By.id("config-api_key"));
        assertEquals("password", apiKey.getAttribute("type"), "a secret field is a password input");
        assertEquals("text", driver.findElement(By.id("config-default_list_id")).getAttribute("type"));
        assertEquals("select", driver.findElement(By.id("config-region")).getTagName(), "an enum is a select");
        assertLabelled();

        // the API's 422 pointers land on their fields
        apiKey.sendKeys("not-a-sendgrid-key");
        driver.findElement(By.id("config-default_list_id")).sendKeys("not-a-uuid");
        driver.findElement(By.id("install-submit")).click();
        awaitText(By.id("config-default_list_id-error"), "uuid");
        assertEquals("true", driver.findElement(By.id("config-api_key")).getAttribute("aria-invalid"));
        assertFalse(driver.getPageSource().contains("not-a-sendgrid-key") && driver.findElement(By.id("status")).getText()
                .contains("not-a-sendgrid-key"), "the rejected secret is not echoed");
        shot("02-install-form-errors");

        apiKey.clear();
        apiKey.sendKeys(key);
        driver.findElement(By.id("config-default_list_id")).clear();
        driver.findElement(By.id("config-webhook_verification_key")).sendKeys(VECTOR.get("public_key").asText());
        shot("03-install-form");
        driver.findElement(By.id("install-submit")).click();

        String webhookUrl = element(By.id("webhook-url")).getAttribute("value");
        assertTrue(webhookUrl.contains("/v1/webhooks/"), webhookUrl);
        assertFalse(driver.getPageSource().contains(key), "the API key is never shown again");
        assertTrue(driver.findElement(By.cssSelector("[data-config=api_key]")).getText().contains("set"));
        awaitText(By.id("last-check"), "succeeded");
        driver.findElement(By.id("copy-webhook")).click();
        await("the copy button to answer", () -> !driver.findElement(By.id("copy-status")).getText().isEmpty());
        assertLabelled();
        shot("04-installation");

        driver.findElement(By.id("watch-events")).click();
        awaitText(By.id("live-state"), "Live");
        String path = URI.create(webhookUrl).getPath();
        Api.Response accepted = postVector(path, VECTOR.get("payload").asText());
        assertEquals(200, accepted.status(), accepted.toString());
        element(eventRow("data-name", "[Sendgrid] dropped"));
        JsonNode tampered = VECTOR.get("negative_variants").get(0);
        assertEquals(403, postVector(path, tampered.get("payload").asText()).status());
        element(eventRow("data-status", "rejected"));
        assertLabelled();
        shot("05-live-events");

        WebElement status = driver.findElement(By.id("f-status"));
        status.sendKeys("accepted");
        status.sendKeys(Keys.ENTER); // the filter form submits from the keyboard
        awaitText(By.id("live-state"), "Live");
        element(eventRow("data-name", "[Sendgrid] dropped"));
        assertTrue(driver.findElements(eventRow("data-status", "rejected")).isEmpty(), "the status filter applies");
        shot("06-live-events-filtered");

        driver.findElement(eventRow("data-name", "[Sendgrid] dropped")).findElement(By.tagName("button")).click();
        awaitText(By.id("detail-body"), "hello@world.com");
        String record = driver.findElement(By.id("detail-body")).getText();
        assertTrue(record.contains("\"payload\"") && record.contains("Bounced Address"), record);
        shot("07-event-detail");
        driver.findElement(By.id("detail-close")).click();
    }

    /**
     * An installation's health: a badge on the installations list and on its page, hourly charts
     * drawn as inline SVG from the health API, and the failure listed. The screenshots are the
     * README's (docs/screenshots).
     */
    @Test
    void installationHealthShowsABadgeAndHourlyCharts() throws IOException {
        clock.set(Instant.now());
        String tenant = newTenant("healthui");
        Api.Response installed = tenantAdmin(tenant).post("/v1/admin/integration-catalog/sendgrid/install?check=false",
                Map.of("name", "SendGrid marketing", "config", Map.of("api_key", "SG.console-health")));
        assertEquals(201, installed.status(), installed.toString());
        String id = installed.json().get("id").asText();
        String path = java.net.URI.create(installed.json().get("webhook_url").asText()).getPath();
        assertEquals(200, api().send("POST", path, "application/json", SendGridWebhookData.sampleEvents()).status());
        assertEquals(400, api().send("POST", path, "application/json", "{not json".getBytes(StandardCharsets.UTF_8)).status());

        signIn(Tokens.viewer(tenant));
        driver.get(server.getURI().resolve("/console/#installations").toString());
        awaitText(By.id("health-" + id), "degraded");
        shot("installations-health");
        copyToDocs("installations-health");

        driver.get(server.getURI().resolve("/console/#installation/" + id).toString());
        awaitText(By.id("health-status"), "degraded");
        assertEquals(24L, ((Number) js("return document.querySelectorAll('#chart-inbound rect').length")).longValue());
        assertEquals("15", js("return document.querySelectorAll('#chart-inbound rect')[23].getAttribute('data-value')"),
                "the current hour's bar: 14 accepted and 1 malformed");
        assertEquals("1", js("return document.querySelectorAll('#chart-errors rect')[23].getAttribute('data-value')"));
        awaitText(By.id("health-hour-in"), "14 accepted");
        assertEquals(1, driver.findElements(By.cssSelector("#health-errors li")).size());
        assertTrue(element(By.id("chart-inbound")).getAttribute("aria-label").contains("15 in the last 24 hours"));
        assertLabelled();
        shot("installation-health");
        copyToDocs("installation-health");
    }

    /** The README shows these: docs/screenshots at the repository root. */
    private void copyToDocs(String name) throws IOException {
        Path docs = Files.createDirectories(Path.of("..", "..", "docs", "screenshots"));
        Files.copy(screenshots.resolve(name + ".png"), docs.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void cohortSyncRunsShowTheirCounts() {
        clock.set(SIGNED_AT.plusSeconds(30));
        String tenant = newTenant("console-sync");
        Api admin = tenantAdmin(tenant);
        String key = "SG.console-sync-" + UUID.randomUUID().toString().replace("-", "");
        sendgrid.addApiKey(key, FakeSendGrid.MARKETING_SCOPES);
        String installation = admin.post("/v1/admin/integration-catalog/sendgrid/install",
                Map.of("name", "SendGrid", "config", Map.of("api_key", key))).json().get("id").asText();
        assertEquals(201, admin.post("/v1/admin/cohorts", Map.of("key", "buyers", "name", "Buyers")).status());
        String domain = tenant + ".example.com";
        StringBuilder members = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            members.append("{\"user_id\":\"u").append(i).append("\",\"email\":\"user").append(i).append('@').append(domain)
                    .append("\",\"first_name\":\"First").append(i).append("\",\"last_name\":\"Last").append(i).append("\"}\n");
        }
        members.append("{\"user_id\":\"no-email\"}\n");
        assertEquals(200, admin.send("PUT", "/v1/admin/cohorts/buyers/members", "application/x-ndjson",
                members.toString().getBytes(StandardCharsets.UTF_8)).status());
        String syncs = "/v1/admin/installations/" + installation + "/cohort-syncs";
        Api.Response created = admin.post(syncs, Map.of("cohort_key", "buyers", "list_name", "Buyers " + tenant,
                "cadence", "manual", "mapping", Map.of("email", "email", "first_name", "first_name", "last_name", "last_name")));
        assertEquals(201, created.status(), created.toString());
        String sync = created.json().get("id").asText();
        Api.Response queued = admin.post(syncs + "/" + sync + "/run", Map.of());
        assertEquals(202, queued.status(), queued.toString());
        String run = queued.json().get("id").asText();
        await("the run to finish", () -> admin.get(syncs + "/" + sync + "/runs/" + run).json().get("status").asText()
                .matches("succeeded|partially_succeeded|failed"));

        signIn(Tokens.viewer(tenant));
        driver.get(server.getURI().resolve("/console/#syncs/" + installation).toString());
        WebElement row = element(By.cssSelector("tr[data-run-id=\"" + run + "\"]"));
        assertTrue(row.getText().contains("succeeded"), row.getText());
        assertEquals("13", row.findElement(By.cssSelector("[data-count=members]")).getText());
        assertEquals("12", row.findElement(By.cssSelector("[data-count=added]")).getText());
        assertEquals("1", row.findElement(By.cssSelector("[data-count=skipped_no_email]")).getText());
        assertLabelled();
        shot("08-cohort-sync-runs");
    }
}
