package dev.postgate.keys.keys;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * An organisation known to key-service. Its row is locked while a key is created, which is
 * what keeps the active-key limit true when creates race.
 */
@Entity
@Table(name = "organisations")
public class Organisation {
    @Id
    public String orgId;

    @Column(nullable = false)
    public Instant createdAt;
}
