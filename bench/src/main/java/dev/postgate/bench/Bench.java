package dev.postgate.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs the benchmarks named on the command line (all by default) and writes one markdown
 * section per benchmark into bench/results (bench/run.sh assembles RESULTS.md and the plots).
 * Settings: -Dbench.revocations (200), -Dbench.seconds (15), -Dbench.connections (32),
 * -Dbench.coldKeys (200), -Dbench.creditClients (32), -Dbench.paidSamples (200), -Dbench.starts (3).
 */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(System.getProperty("bench.out", "results")).toAbsolutePath();
        Files.createDirectories(out);
        List<String> names = args.length == 0 ? List.of("revocation", "auth", "cold", "credits", "paid", "startup", "receipts") : List.of(args);
        for (String name : names) {
            long started = System.nanoTime();
            System.out.println("[bench] " + name + " …");
            String section = switch (name) {
                case "revocation" -> RevocationBench.run(out, Integer.getInteger("bench.revocations", 200));
                case "auth" -> AuthOverheadBench.run(out, Integer.getInteger("bench.seconds", 15), Integer.getInteger("bench.connections", 32));
                case "cold" -> ColdVerifyBench.run(out, Integer.getInteger("bench.coldKeys", 200));
                case "credits" -> CreditsBench.run(out, Integer.getInteger("bench.creditClients", 32), Integer.getInteger("bench.seconds", 15));
                case "paid" -> PaidWorkBench.run(out, Integer.getInteger("bench.paidSamples", 200),
                        Integer.getInteger("bench.creditClients", 32), Integer.getInteger("bench.seconds", 15));
                case "startup" -> StartupBench.run(out, Integer.getInteger("bench.starts", 3));
                case "receipts" -> ReceiptsBench.run(Integer.getInteger("bench.revocations", 200));
                default -> throw new IllegalArgumentException("unknown benchmark " + name
                        + " (revocation, auth, cold, credits, paid, startup, receipts)");
            };
            Files.writeString(out.resolve(name + ".md"), section);
            System.out.printf("[bench] %s done in %.0f s%n%s%n", name, (System.nanoTime() - started) / 1e9, section);
        }
        System.exit(0);
    }
}
