package dev.postgate.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.postgate.client.ApiClient;
import dev.postgate.client.ApiException;
import dev.postgate.client.api.ApiKeysApi;
import dev.postgate.client.api.CreditsApi;
import dev.postgate.client.api.GenerationApi;
import dev.postgate.client.api.PostsApi;
import dev.postgate.client.api.SocialAccountsApi;
import dev.postgate.client.api.WorkspacesApi;
import dev.postgate.client.model.ConnectAccountRequest;
import dev.postgate.client.model.CreateKeyRequest;
import dev.postgate.client.model.CreatePostRequest;
import dev.postgate.client.model.ForbiddenErrorResponse;
import dev.postgate.client.model.GenerateRequest;
import dev.postgate.client.model.GenerationView;
import dev.postgate.client.model.GrantRequest;
import dev.postgate.client.model.InsufficientCreditsErrorResponse;
import dev.postgate.client.model.KeyView;
import dev.postgate.client.model.PostView;
import dev.postgate.client.model.ResultView;
import dev.postgate.client.model.RevokeKeyRequest;
import dev.postgate.client.model.UnauthorizedError;
import dev.postgate.client.model.UnauthorizedErrorResponse;
import dev.postgate.client.model.WorkspaceRequest;
import dev.postgate.common.testing.Tokens;

/**
 * A Java client generated at build time by OpenAPI Generator (library {@code native}) from the
 * document key-service serves works unchanged against the running services through the proxy:
 * nothing here calls the API except that client (the dashboard token is minted, as a sign-in would).
 */
class GeneratedClientIT {
    static ProxiedStack stack;

    @BeforeAll
    static void start() {
        stack = ProxiedStack.named("client").start();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** A client that sends this credential (a dashboard token or an API key) as a Bearer token. */
    static ApiClient as(String credential) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(stack.proxy.baseUrl());
        client.setReadTimeout(Duration.ofSeconds(60));
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + credential));
        return client;
    }

    @Test
    void theGeneratedClientPublishesGeneratesRevokesAndReadsTypedErrors() throws Exception {
        String org = "org_client_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        ApiClient dashboard = as(Tokens.admin(org));

        KeyView created = new ApiKeysApi(dashboard).keyCreate(new CreateKeyRequest().name("generated client").preset("full"))
                .getData();
        assertNotNull(created.getKey(), "the secret, shown once");
        ApiClient key = as(created.getKey());
        assertEquals(created.getId(), new ApiKeysApi(key).whoami().getData().getId());

        String workspace = new WorkspacesApi(dashboard).workspaceCreate(new WorkspaceRequest().name("client")).getData().getId();
        assertEquals(50L, new CreditsApi(dashboard).creditGrant(workspace, new GrantRequest().amount(50L).reason("client"), null)
                .getData().getBalance());
        String account = new SocialAccountsApi(dashboard).workspaceAccountConnect(workspace,
                new ConnectAccountRequest().platform(ConnectAccountRequest.PlatformEnum.X).name("client")).getData().getId();

        PostsApi posts = new PostsApi(key);
        PostView post = posts.postCreate(workspace, new CreatePostRequest().content("from the generated client")
                .accountIds(List.of(account)), null).getData();
        assertEquals("draft", post.getStatus());
        // No body at all: the document says a publish's body may be left out (publish now).
        var published = posts.postPublishWithHttpInfo(post.getId(), workspace, null, null);
        assertEquals(202, published.getStatusCode());
        assertEquals("1", published.getHeaders().get("x-credits-cost").get(0));
        List<ResultView> results = await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> posts.postResults(post.getId(), workspace, null, null).getData(),
                        r -> r.stream().allMatch(t -> "published".equals(t.getStatus())));
        assertEquals(account, results.get(0).getAccountId());
        assertEquals("published", posts.postGet(post.getId(), workspace).getData().getStatus());

        GenerationView image = new GenerationApi(key).generationGenerateImage(workspace,
                new GenerateRequest().prompt("a lighthouse at dusk"), null).getData();
        assertEquals("image", image.getKind());
        assertEquals(5L, image.getCreditsSpent());
        assertNotNull(image.getMediaId());

        // 402 with required and balance: the workspace has 50 - 1 - 5 = 44 credits, a video costs 20, an image 5.
        ApiClient poorKey = key;
        String poor = new WorkspacesApi(dashboard).workspaceCreate(new WorkspaceRequest().name("poor")).getData().getId();
        ApiException noCredits = assertThrows(ApiException.class, () -> new GenerationApi(poorKey).generationGenerateImage(poor,
                new GenerateRequest().prompt("x"), null));
        assertEquals(402, noCredits.getCode());
        InsufficientCreditsErrorResponse paid = dashboard.getObjectMapper().readValue(noCredits.getResponseBody(),
                InsufficientCreditsErrorResponse.class);
        assertEquals(5L, paid.getError().getRequired());
        assertEquals(0L, paid.getError().getBalance());

        // 403 INSUFFICIENT_SCOPE with required_scope.
        String readOnly = new ApiKeysApi(dashboard).keyCreate(new CreateKeyRequest().name("read only").preset("read_only"))
                .getData().getKey();
        ApiException scope = assertThrows(ApiException.class, () -> new PostsApi(as(readOnly)).postCreate(workspace,
                new CreatePostRequest().content("x").accountIds(List.of(account)), null));
        assertEquals(403, scope.getCode());
        ForbiddenErrorResponse forbidden = dashboard.getObjectMapper().readValue(scope.getResponseBody(), ForbiddenErrorResponse.class);
        assertEquals("INSUFFICIENT_SCOPE", forbidden.getError().getCode().getValue());
        assertEquals("posts:write", forbidden.getError().getRequiredScope());

        // Revoke, then 401 with reason "revoked".
        KeyView revoked = new ApiKeysApi(dashboard).keyRevoke(created.getId(), 2000, new RevokeKeyRequest().reason("client test"))
                .getData();
        assertEquals("revoked", revoked.getStatus());
        // The revocation receipt (SPEC section 6): once confirmed, the very next request is refused.
        assertNotNull(revoked.getPropagation(), "the revoke answers its receipt");
        if ("confirmed".equals(String.valueOf(revoked.getPropagation().getStatus()))) {
            assertEquals(401, assertThrows(ApiException.class, () -> new ApiKeysApi(key).whoami()).getCode());
        }
        ApiException refused = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(AssertionError.class)
                .until(() -> assertThrows(ApiException.class, () -> new ApiKeysApi(key).whoami()), e -> e.getCode() == 401);
        assertEquals(401, refused.getCode());
        UnauthorizedErrorResponse unauthorized = dashboard.getObjectMapper().readValue(refused.getResponseBody(),
                UnauthorizedErrorResponse.class);
        assertEquals(UnauthorizedError.ReasonEnum.REVOKED, unauthorized.getError().getReason());
        assertTrue(unauthorized.getMeta().getRequestId().length() > 0);
    }
}
