package dev.postgate.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.postgate.common.testing.ServiceProcess;
import dev.postgate.common.testing.TestKeys;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.Tokens;

/** Each service's JVM start-up time (launch → ready) and resident memory at rest and under load. */
final class StartupBench {
    private StartupBench() {
    }

    static String run(Path out, int starts) throws Exception {
        StringBuilder md = new StringBuilder("## 5. Start-up and memory (JVM mode)\n\n");
        md.append(String.format("Each service started %d times (`java %s -jar quarkus-run.jar`, Flyway validation included); "
                + "start-up is from process launch to the first 200 on /q/health/ready. RSS from /proc after 10 s at rest, "
                + "then after 15 s of load (16 concurrent clients).%n%n", starts, String.join(" ", BenchStack.JVM)));
        md.append("| service | start-up median ms | start-up min–max ms | RSS at rest MiB | RSS under load MiB |\n|---|---|---|---|---|\n");
        ServiceProcess keys = null;
        try {
            for (String module : List.of("key-service", "workspace-service", "publish-service")) {
                List<Long> times = new ArrayList<>();
                ServiceProcess last = null;
                for (int i = 0; i < starts; i++) {
                    ServiceProcess.Builder builder = ServiceProcess.of(module).name("bench-startup-" + module).database(BenchStack.DB)
                            .jvmOptions(BenchStack.JVM).env("POSTGATE_KEY_CLIENT_RATE_LIMIT_PER_MINUTE", "1000000000");
                    if (keys != null) {
                        builder.keyService(keys.baseUrl());
                    }
                    ServiceProcess started = builder.start();
                    times.add(started.startupMillis());
                    if (i < starts - 1) {
                        started.stop();
                    } else {
                        last = started;
                    }
                }
                Thread.sleep(10_000);
                long rest = last.rssKilobytes();
                long loaded = underLoad(last, module, keys);
                times.sort(Long::compare);
                md.append(String.format("| %s | %d | %d–%d | %.0f | %.0f |%n", module, times.get(times.size() / 2), times.get(0),
                        times.get(times.size() - 1), rest / 1024.0, loaded / 1024.0));
                if (module.equals("key-service")) {
                    keys = last;
                } else {
                    last.stop();
                }
            }
        } finally {
            if (keys != null) {
                keys.stop();
            }
        }
        return md.append('\n').toString();
    }

    private static long underLoad(ServiceProcess service, String module, ServiceProcess keys) throws Exception {
        String org = TestKeys.newOrg();
        String url;
        String authorization;
        if (module.equals("key-service")) {
            url = service.baseUrl() + "/api/v1/keys";
            authorization = "Bearer " + Tokens.admin(org);
        } else {
            IssuedKey key = TestKeys.create(keys.baseUrl(), org, List.of("posts:read"));
            url = service.baseUrl() + "/api/v1/whoami";
            authorization = key.bearer();
        }
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        for (int i = 0; i < 16; i++) {
            pool.submit(() -> {
                Http http = new Http();
                while (running.get()) {
                    http.get(url, authorization);
                }
            });
        }
        Thread.sleep(15_000);
        long rss = service.rssKilobytes();
        running.set(false);
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        return rss;
    }
}
