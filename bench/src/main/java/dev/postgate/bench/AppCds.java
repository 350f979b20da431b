package dev.postgate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.ServiceProcess;

/**
 * The AppCDS archive of a packaged app, made as deploy/local/stack makes it: a training run by this
 * JVM, with the jar path and memory options the app runs with, started until it is ready and then
 * stopped (SIGTERM), so that the JVM writes every class it loaded ({@code -XX:ArchiveClassesAtExit}).
 */
final class AppCds {
    private AppCds() {
    }

    /** The options that make {@code module} start with its archive (made first when missing or older than the jar). */
    static List<String> options(String module, String[] jvm) throws IOException, InterruptedException {
        Path dir = PostgateInfra.repositoryRoot().resolve(module).resolve("target/quarkus-app");
        Path jar = dir.resolve("quarkus-run.jar");
        Path archive = dir.resolve("app-cds.jsa");
        if (!Files.isRegularFile(archive) || Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) < 0) {
            Files.deleteIfExists(archive);
            List<String> training = new ArrayList<>(List.of(jvm));
            training.add("-XX:ArchiveClassesAtExit=" + archive);
            ServiceProcess run = ServiceProcess.of(module).name("appcds-" + module.replace('/', '-')).database(BenchStack.DB)
                    .jvmOptions(training.toArray(String[]::new)).start();
            ProcessHandle handle = ProcessHandle.of(run.pid()).orElseThrow();
            handle.destroy();
            try {
                handle.onExit().get(10, TimeUnit.MINUTES);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                run.kill();
            }
            if (!Files.isRegularFile(archive)) {
                throw new IllegalStateException("no AppCDS archive for " + module + " after its training run");
            }
        }
        return List.of("-XX:SharedArchiveFile=" + archive);
    }
    static String[] with(String module, String[] jvm) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of(jvm));
        all.addAll(options(module, jvm));
        return all.toArray(String[]::new);
    }
}
