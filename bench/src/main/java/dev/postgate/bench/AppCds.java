package dev.postgate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.postgate.common.testing.PostgateInfra;

/**
 * The AppCDS archive of a packaged app, made as deploy/local/stack and the Dockerfiles make it: by
 * this JVM, from a run that stops after Quarkus's static initialisation
 * ({@code -Dquarkus.appcds.generate=true}), with the jar path and memory options the app runs with.
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
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(List.of(jvm));
            command.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-Dquarkus.appcds.generate=true", "-jar", jar.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("app-cds.log").toFile());
            // A value so that key-service's runtime configuration does not stop the run early; never used as a pepper.
            builder.environment().put("POSTGATE_KEY_PEPPER", "appcds-archive-run-only-not-a-pepper");
            Process process = builder.start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
            if (!Files.isRegularFile(archive)) {
                throw new IllegalStateException("no AppCDS archive for " + module + ": see " + dir.resolve("app-cds.log"));
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
