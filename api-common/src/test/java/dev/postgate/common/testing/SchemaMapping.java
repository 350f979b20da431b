package dev.postgate.common.testing;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.persistence.Entity;

import org.flywaydb.core.Flyway;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.model.naming.CamelCaseToUnderscoresNamingStrategy;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.AvailableSettings;

/**
 * A service's entities against the tables its migrations make (issue 18). The services boot one
 * reactive persistence unit and do not validate their schema at start: Hibernate Reactive's validator
 * reads PostgreSQL's {@code text} columns as an unknown type, and validating cost start-up time on every
 * replica. This check runs in each service's tests instead, as Hibernate ORM's JDBC validator with the
 * services' settings (the physical naming strategy of api-common's configuration), against a scratch
 * schema of the test database that Flyway migrates from the same locations as the service does.
 */
public final class SchemaMapping {
    private SchemaMapping() {
    }

    /**
     * Migrates {@code schema} (dropped first) with the service's and api-common's migrations, then
     * validates every {@link Entity} class found beside each of {@code classesOf} (their class-path
     * roots: a service's own classes and api-common's). Fails with Hibernate's message on a mismatch.
     */
    public static List<Class<?>> assertEntitiesMatchMigrations(String schema, Class<?>... classesOf) {
        PostgateInfra.ensure();
        String url = TestDatabase.schema(schema).url();
        Flyway flyway = Flyway.configure().dataSource(url, "postgate", "postgate").schemas(schema).defaultSchema(schema)
                .createSchemas(true).cleanDisabled(false).locations("db/migration", "db/common").load();
        flyway.clean();
        flyway.migrate();

        List<Class<?>> entities = entities(classesOf);
        StandardServiceRegistry registry = new StandardServiceRegistryBuilder().applySettings(Map.of(
                AvailableSettings.JAKARTA_JDBC_URL, url,
                AvailableSettings.JAKARTA_JDBC_USER, "postgate",
                AvailableSettings.JAKARTA_JDBC_PASSWORD, "postgate",
                AvailableSettings.DEFAULT_SCHEMA, schema,
                AvailableSettings.PHYSICAL_NAMING_STRATEGY, CamelCaseToUnderscoresNamingStrategy.class.getName(),
                AvailableSettings.HBM2DDL_AUTO, "validate"))
                .build();
        try {
            MetadataSources sources = new MetadataSources(registry);
            entities.forEach(sources::addAnnotatedClass);
            Metadata metadata = sources.buildMetadata();
            metadata.buildSessionFactory().close(); // validates, and throws on the first mismatch
        } finally {
            StandardServiceRegistryBuilder.destroy(registry);
        }
        return entities;
    }

    private static List<Class<?>> entities(Class<?>... classesOf) {
        List<Class<?>> found = new ArrayList<>();
        for (Class<?> anchor : classesOf) {
            try {
                Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
                if (Files.isDirectory(location)) {
                    addEntities(location, anchor.getClassLoader(), found);
                } else {
                    try (FileSystem jar = FileSystems.newFileSystem(location)) {
                        addEntities(jar.getPath("/"), anchor.getClassLoader(), found);
                    }
                }
            } catch (IOException | URISyntaxException | ClassNotFoundException e) {
                throw new IllegalStateException("cannot list the entities beside " + anchor.getName(), e);
            }
        }
        return found;
    }

    private static void addEntities(Path root, ClassLoader loader, List<Class<?>> found) throws IOException, ClassNotFoundException {
        List<String> names;
        try (Stream<Path> files = Files.walk(root)) {
            names = files.map(file -> root.relativize(file).toString())
                    .filter(name -> name.endsWith(".class") && !name.contains("-"))
                    .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                    .toList();
        }
        for (String name : names) {
            Class<?> type = Class.forName(name, false, loader);
            if (type.isAnnotationPresent(Entity.class)) {
                found.add(type);
            }
        }
    }
}
