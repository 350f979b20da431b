package dev.postgate.publish.credits;

import org.jboss.resteasy.reactive.RestResponse;

import dev.postgate.common.http.Headers;

/**
 * What a credit-spending call cost and the workspace's balance afterwards, for the
 * {@code X-Credits-Cost} and {@code X-Credits-Remaining} headers ({@code remaining} is null when
 * it is not known, and the header is then left out).
 */
public record Charge(long cost, Long remaining) {

    public static Charge free(Long remaining) {
        return new Charge(0, remaining);
    }

    public <T> RestResponse<T> respond(RestResponse.Status status, T body) {
        RestResponse.ResponseBuilder<T> builder = RestResponse.ResponseBuilder.create(status, body)
                .header(Headers.CREDITS_COST, String.valueOf(cost));
        if (remaining != null) {
            builder.header(Headers.CREDITS_REMAINING, String.valueOf(remaining));
        }
        return builder.build();
    }
}
