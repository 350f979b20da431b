package dev.postgate.common.db;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.Transient;

import org.hibernate.boot.model.naming.CamelCaseToUnderscoresNamingStrategy;
import org.hibernate.boot.model.naming.Identifier;
import org.hibernate.boot.model.naming.PhysicalNamingStrategy;

import dev.postgate.common.time.Instants;
import io.vertx.mutiny.sqlclient.Row;

/**
 * An entity read from a row of its table by plain SQL (the paths that skip Hibernate's session
 * for speed): each persistent field from the column Hibernate maps it to, named by the same
 * physical naming strategy (this library sets {@code quarkus.hibernate-orm.physical-naming-strategy}
 * to {@link CamelCaseToUnderscoresNamingStrategy}; a test holds the two together), so that a
 * column is named in one place, its entity. The row must hold every mapped column ({@code select *}
 * or {@code returning *}): a statement that leaves one out fails loudly here, naming it, rather
 * than leaving a field null far from the cause. Entities' fields are registered for reflection by
 * Hibernate's extension, native included.
 */
public final class EntityRows {
    private static final PhysicalNamingStrategy NAMING = new CamelCaseToUnderscoresNamingStrategy();
    private static final ClassValue<List<Mapped>> MAPPED = new ClassValue<>() {
        @Override
        protected List<Mapped> computeValue(Class<?> type) {
            return mapped(type);
        }
    };

    private EntityRows() {
    }

    /** A field, its column, and how the column is read. */
    private record Mapped(Field field, String column, Reader reader) {
    }

    private interface Reader {
        Object read(Row row, int position);
    }

    /** The entity {@code type} from {@code row} (a {@code select *} or {@code returning *} of its table). */
    public static <T> T read(Row row, Class<T> type) {
        T entity;
        try {
            entity = type.getDeclaredConstructor().newInstance();
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("Cannot make a " + type.getName() + " to read a row into", e);
        }
        for (Mapped mapped : MAPPED.get(type)) {
            int position = row.getColumnIndex(mapped.column());
            if (position < 0) {
                throw new IllegalStateException("The row read into a " + type.getSimpleName() + " has no column " + mapped.column()
                        + ": select every column of its table");
            }
            Object value = mapped.reader().read(row, position);
            if (value == null && mapped.field().getType().isPrimitive()) {
                continue;
            }
            try {
                mapped.field().set(entity, value);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("Cannot set " + mapped.field(), e);
            }
        }
        return entity;
    }

    /** The persistent fields of an entity and of the mapped superclasses it extends. */
    private static List<Mapped> mapped(Class<?> type) {
        List<Mapped> all = new ArrayList<>();
        for (Class<?> c = type; c != null && (c.isAnnotationPresent(Entity.class) || c.isAnnotationPresent(MappedSuperclass.class));
                c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                // Hibernate's bytecode enhancement adds fields of its own (synthetic or transient): not columns.
                if (Modifier.isStatic(modifiers) || Modifier.isTransient(modifiers) || field.isSynthetic()
                        || field.getName().startsWith("$$_hibernate_") || field.isAnnotationPresent(Transient.class)) {
                    continue;
                }
                field.setAccessible(true);
                all.add(new Mapped(field, column(field), reader(field)));
            }
        }
        if (all.isEmpty()) {
            throw new IllegalStateException(type.getName() + " is not an entity with persistent fields");
        }
        return List.copyOf(all);
    }

    static String column(Field field) {
        Column column = field.getAnnotation(Column.class);
        String name = column != null && !column.name().isEmpty() ? column.name() : field.getName();
        return NAMING.toPhysicalColumnName(Identifier.toIdentifier(name), null).getText();
    }

    private static Reader reader(Field field) {
        Class<?> type = field.getType();
        if (type == String.class) {
            return Row::getString;
        } else if (type == Instant.class) {
            return (row, position) -> Instants.of(row.getOffsetDateTime(position));
        } else if (type == long.class || type == Long.class) {
            return Row::getLong;
        } else if (type == int.class || type == Integer.class) {
            return Row::getInteger;
        } else if (type == boolean.class || type == Boolean.class) {
            return Row::getBoolean;
        } else if (type == String[].class) {
            return Row::getArrayOfStrings;
        }
        throw new IllegalStateException("No column reader for " + field + " (" + type.getName() + ")");
    }
}
