package dev.postgate.publish.media;

import dev.postgate.common.wire.WireName;

/** Where a media file came from: a client's upload, or a generation. */
public enum MediaOrigin implements WireName {
    UPLOAD, GENERATED
}
