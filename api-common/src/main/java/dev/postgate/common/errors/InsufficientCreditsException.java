package dev.postgate.common.errors;

/** 402 INSUFFICIENT_CREDITS with {@code required} and {@code balance}. */
public class InsufficientCreditsException extends ApiException {
    /** The same refusal as a lower-case reason: a post's or target's failure reason, a metric label. */
    public static final String REASON = "insufficient_credits";

    private final long required;
    private final long balance;

    public InsufficientCreditsException(long required, long balance) {
        super(402, "INSUFFICIENT_CREDITS", "This needs " + required + " credits and the workspace has " + balance + ".");
        this.required = required;
        this.balance = balance;
        detail("required", required);
        detail("balance", balance);
    }

    public long required() {
        return required;
    }

    public long balance() {
        return balance;
    }
}
