package dev.postgate.common.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import org.hibernate.boot.model.naming.CamelCaseToUnderscoresNamingStrategy;
import org.junit.jupiter.api.Test;

/** EntityRows names columns as Hibernate does: by the physical naming strategy this library configures. */
class EntityRowsTest {
    String keyHash;
    String last4;
    String orgId;

    @Test
    void itNamesColumnsWithTheNamingStrategyHibernateIsGiven() throws IOException {
        Properties config = new Properties();
        try (InputStream in = EntityRows.class.getResourceAsStream("/META-INF/microprofile-config.properties")) {
            config.load(in);
        }
        assertEquals(CamelCaseToUnderscoresNamingStrategy.class.getName(), config.getProperty("quarkus.hibernate-orm.physical-naming-strategy"));
    }

    @Test
    void aFieldsColumnIsItsNameInSnakeCase() throws NoSuchFieldException {
        assertEquals("key_hash", EntityRows.column(EntityRowsTest.class.getDeclaredField("keyHash")));
        assertEquals("last4", EntityRows.column(EntityRowsTest.class.getDeclaredField("last4")));
        assertEquals("org_id", EntityRows.column(EntityRowsTest.class.getDeclaredField("orgId")));
    }
}
