package dev.postgate.common.testing;

import static io.restassured.RestAssured.given;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The service under test's {@code /q/metrics}, read as a test reads it: what a series shows now. */
public final class Metrics {
    private Metrics() {
    }

    /** The sum of every series of {@code name}, whatever their labels; 0 before the first sample. */
    public static double sum(String name) {
        Matcher m = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.eE+-]+)$", Pattern.MULTILINE)
                .matcher(given().get("/q/metrics").asString());
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(2));
        }
        return total;
    }

    /** One series, written as Prometheus writes it ({@code name{label="value",…}}); 0 before the first sample. */
    public static double series(String series) {
        String prefix = series + " ";
        return given().get("/q/metrics").asString().lines()
                .filter(line -> line.startsWith(prefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(prefix.length()).trim()))
                .findFirst().orElse(0);
    }
}
