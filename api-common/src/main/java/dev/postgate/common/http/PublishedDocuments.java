package dev.postgate.common.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A document another party publishes at a URL and Postgate reads now and then (GitHub's
 * secret-scanning keys, an identity provider's JWKS): fetched whole within a time limit, headers
 * and body (the JDK client's own request timeout ends once the headers are in, so a body that
 * stalls would hold the caller for good), and at most a number of bytes. Blocking: call it from a
 * worker thread.
 */
public final class PublishedDocuments {
    private PublishedDocuments() {
    }

    /** Whether a configured location is such a document's URL ({@code http:} or {@code https:}), not a file or resource. */
    public static boolean isUrl(String location) {
        return location.startsWith("https://") || location.startsWith("http://");
    }

    /**
     * The document's bytes; an {@link IOException} saying why for any answer but a whole 200 within
     * the limits. {@code followRedirects}: a redirect to the same scheme or to https is followed
     * (an identity provider's JWKS URL may move its keys), else it is an answer like any other.
     */
    public static byte[] fetch(URI url, Duration timeout, int maxBytes, boolean followRedirects) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(followRedirects ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER).build();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).header("Accept", "application/json").GET().build();
        // A body its length says is too large is not kept (null below); one without a length is bounded by the time.
        HttpResponse.BodyHandler<byte[]> handler = info -> info.headers().firstValueAsLong("Content-Length").orElse(0) > maxBytes
                ? HttpResponse.BodySubscribers.replacing(null) : HttpResponse.BodySubscribers.ofByteArray();
        CompletableFuture<HttpResponse<byte[]>> answer = client.sendAsync(request, handler);
        HttpResponse<byte[]> response;
        try {
            response = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new IOException("no whole answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause() == null ? e.getMessage() : e.getCause().toString());
        }
        if (response.statusCode() != 200) {
            throw new IOException("answered " + response.statusCode());
        }
        byte[] body = response.body();
        if (body == null) {
            throw new IOException("its Content-Length is over " + maxBytes + " bytes");
        }
        if (body.length > maxBytes) {
            throw new IOException("the document has " + body.length + " bytes, more than " + maxBytes);
        }
        return body;
    }
}
