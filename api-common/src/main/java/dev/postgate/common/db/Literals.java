package dev.postgate.common.db;

import java.util.Collection;
import java.util.stream.Collectors;

import dev.postgate.common.wire.WireName;

/**
 * Our own constants (statuses, states, ledger kinds and reasons) written into a statement as SQL
 * string literals, the one way every statement does it. They are written rather than bound where a
 * partial index depends on them: PostgreSQL uses one ({@code where status = 'reserved'}) only when
 * it can see the value, and a plan kept for every parameter value (see PublishPlanTest) would
 * otherwise read the whole table on every pass. Only for values of this project's code, never for
 * what a client sent.
 */
public final class Literals {
    private Literals() {
    }

    /** {@code 'value'}. */
    public static String of(String value) {
        if (value.indexOf('\'') >= 0) {
            throw new IllegalArgumentException("not a constant of ours: " + value);
        }
        return "'" + value + "'";
    }

    /** {@code 'wire'}: an enum constant as stored. */
    public static String of(WireName constant) {
        return of(constant.wire());
    }

    /** {@code ('a', 'b')}, for {@code in}. */
    public static String list(Collection<String> values) {
        return values.stream().map(Literals::of).collect(Collectors.joining(", ", "(", ")"));
    }
}
