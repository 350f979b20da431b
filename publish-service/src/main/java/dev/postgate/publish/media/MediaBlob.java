package dev.postgate.publish.media;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The bytes of one media file, for {@link DatabaseMediaStorage}. */
@Entity
@Table(name = "media_blobs")
public class MediaBlob {
    @Id
    @Column(name = "media_id")
    public String mediaId;

    @Column(nullable = false)
    public byte[] bytes;
}
