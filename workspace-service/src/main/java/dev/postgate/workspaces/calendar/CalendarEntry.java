package dev.postgate.workspaces.calendar;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An entry of a workspace's content calendar, optionally about a post of publish-service. */
@Entity
@Table(name = "calendar_entries")
public class CalendarEntry {
    @Id
    public String id;

    @Column(nullable = false)
    public String workspaceId;

    @Column(nullable = false)
    public String orgId;

    @Column(nullable = false)
    public String title;

    @Column
    public String notes;

    @Column(nullable = false)
    public Instant startsAt;

    public Instant endsAt;

    public String postId;

    @Column(nullable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public Instant updatedAt;
}
