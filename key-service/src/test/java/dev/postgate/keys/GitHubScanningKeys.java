package dev.postgate.keys;

import java.nio.file.Path;
import java.util.Map;

import dev.postgate.common.testing.GitHubScanningPair;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points key-service at a fresh stand-in for GitHub's secret-scanning keys document; tests sign
 * reports with {@link #PAIR}, which reads the same files (the resource and the tests do not share
 * a class loader).
 */
public class GitHubScanningKeys implements QuarkusTestResourceLifecycleManager {
    static final Path DIR = Path.of("target", "github-scanning");
    static final GitHubScanningPair PAIR = GitHubScanningPair.in(DIR);

    @Override
    public Map<String, String> start() {
        return Map.of("postgate.secret-scanning.github.keys-url", GitHubScanningPair.in(DIR).document().toString());
    }

    @Override
    public void stop() {
        // The files stay in target/.
    }
}
