package dev.postgate.publish.media;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A file of a workspace (uploaded or generated): its metadata; the bytes are in {@link MediaStorage}. */
@Entity
@Table(name = "media")
public class Media {
    /** A media's name is at most this many characters. */
    public static final int MAX_NAME = 255;

    @Id
    public String id;

    @Column(nullable = false)
    public String orgId;

    @Column(nullable = false)
    public String workspaceId;

    @Column(nullable = false)
    public String name;

    /** Detected from the bytes, never taken from the request. */
    @Column(nullable = false)
    public String contentType;

    @Column(nullable = false)
    public long size;

    /** Hex SHA-256 of the bytes. */
    @Column(nullable = false)
    public String sha256;

    /** A {@link MediaOrigin}, as stored. */
    @Column(nullable = false)
    public String origin;

    /** The {@link MediaStorage} that holds the bytes. */
    @Column(nullable = false)
    public String storage;

    @Column(nullable = false)
    public String createdBy;

    @Column(nullable = false)
    public Instant createdAt;
}
