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

    @Column(name = "workspace_id", nullable = false)
    public String workspaceId;

    @Column(name = "org_id", nullable = false)
    public String orgId;

    @Column(nullable = false)
    public String title;

    @Column
    public String notes;

    @Column(name = "starts_at", nullable = false)
    public Instant startsAt;

    @Column(name = "ends_at")
    public Instant endsAt;

    @Column(name = "post_id")
    public String postId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
