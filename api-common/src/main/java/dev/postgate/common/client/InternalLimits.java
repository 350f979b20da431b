package dev.postgate.common.client;

/**
 * How much one call of the internal API's batch endpoints may carry (SPEC section 7): the services
 * refuse more (422 or 400), and their clients never send more. The usage reporter cuts its
 * batches at {@link #USAGE_ITEMS}; publish-service sends at most a post's accounts
 * ({@code PostViews.MAX_ACCOUNTS}, checked against these by its PostLimitsTest).
 */
public final class InternalLimits {
    private InternalLimits() {
    }

    /** Key uses in one report ({@code POST /internal/v1/keys/usage}). */
    public static final int USAGE_ITEMS = 1000;
    /** Reserves in one batch ({@code POST /internal/v1/credits/reservations/batch}). */
    public static final int RESERVATIONS = 100;
    /** Account ids in one look-up ({@code GET /internal/v1/workspaces/{id}/accounts?ids=}). */
    public static final int ACCOUNT_IDS = 100;
}
