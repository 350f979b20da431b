package dev.postgate.keys.leaks;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A publicly reported key waiting to be revoked: only its HMAC, never the key. */
@Entity
@Table(name = "leak_reports")
public class LeakReport {
    @Id
    public String id;

    @Column(nullable = false)
    public String keyHash;

    @Column(nullable = false)
    public Instant receivedAt;

    /** The key was active when it was reported: worked before the others ({@link LeakReportRepository#TAKE_OLDEST}). */
    @Column(nullable = false)
    public boolean ofActiveKey;
}
