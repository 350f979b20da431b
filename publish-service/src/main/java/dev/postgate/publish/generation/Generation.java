package dev.postgate.publish.generation;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.postgate.publish.lease.Leased;

/** One paid generation: what was asked, its credit reservation, and its output (text or a media file). */
@Entity
@Table(name = "generations")
public class Generation extends Leased {
    @Id
    public String id;

    @Column(nullable = false)
    public String orgId;

    @Column(nullable = false)
    public String workspaceId;

    @Column(nullable = false)
    public String kind;

    @Column(nullable = false)
    public String prompt;

    public String style;

    public Integer width;

    public Integer height;

    /** reserving, generating, settling, refunding, succeeded, failed (see {@link GenerationFlow}). */
    @Column(nullable = false)
    public String state;

    public String text;

    public String mediaId;

    /** The price charged (0 in test mode). */
    @Column(nullable = false)
    public long credits;

    @Column(nullable = false)
    public boolean testMode;

    public String reservationId;

    public String error;

    @Column(nullable = false)
    public String createdBy;

    @Column(nullable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public Instant updatedAt;

    /** A copy of every field, to change and write back only if the row is still held (see GenerationSteps). */
    Generation copy() {
        Generation g = new Generation();
        g.id = id;
        g.orgId = orgId;
        g.workspaceId = workspaceId;
        g.kind = kind;
        g.prompt = prompt;
        g.style = style;
        g.width = width;
        g.height = height;
        g.state = state;
        g.text = text;
        g.mediaId = mediaId;
        g.credits = credits;
        g.testMode = testMode;
        g.reservationId = reservationId;
        g.error = error;
        g.leaseUntil = leaseUntil;
        g.leaseToken = leaseToken;
        g.createdBy = createdBy;
        g.createdAt = createdAt;
        g.updatedAt = updatedAt;
        return g;
    }

    public GenerationState generationState() {
        return GenerationState.of(state);
    }

    public void generationState(GenerationState next) {
        state = next.wire();
    }
}
