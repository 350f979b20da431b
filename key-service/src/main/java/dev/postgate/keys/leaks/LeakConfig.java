package dev.postgate.keys.leaks;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Leaked-key reports (SPEC section 10): GitHub's secret scanning and the public report. */
@ConfigMapping(prefix = "postgate.secret-scanning")
public interface LeakConfig {

    GitHub github();

    PublicReports publicReports();

    interface GitHub {
        /** GitHub's public keys document: a URL, or a file (a path or {@code file:} URL). */
        @WithDefault("https://api.github.com/meta/public_keys/secret_scanning")
        String keysUrl();

        /** An unknown key identifier fetches the document again at most this often. */
        @WithDefault("5m")
        Duration refetchInterval();

        @WithDefault("10s")
        Duration fetchTimeout();

        /**
         * How long a document read is trusted: a report after that fetches it again (at most once per
         * {@code refetch-interval}), so a key GitHub has withdrawn stops verifying; while that fetch
         * fails, the keys in hand still verify.
         */
        @WithDefault("24h")
        Duration maxAge();

        /** Reports a client address may send a minute. */
        @WithDefault("60")
        int perAddressPerMinute();
    }

    interface PublicReports {
        /** Reports a client address may send a minute. */
        @WithDefault("10")
        int perAddressPerMinute();

        /** How often the queue of reported keys is worked through (LeakReports' schedule reads this default). */
        @WithDefault("1s")
        Duration drainInterval();
    }
}
