package dev.postgate.publish.media;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Set;

import org.jboss.resteasy.reactive.common.headers.HeaderUtil;
import org.jboss.resteasy.reactive.common.util.CaseInsensitiveMap;
import org.jboss.resteasy.reactive.server.core.multipart.MultipartParser;

import dev.postgate.common.errors.ApiException;
import dev.postgate.common.errors.SimpleErrors;
import dev.postgate.common.errors.ValidationException;
import dev.postgate.common.hash.Sha256;

/**
 * One {@code multipart/form-data} upload, parsed as its bytes arrive (the push parser of the REST
 * layer, fed piece by piece): the form field {@code file} (one file) and the optional field
 * {@code name}; any other field is refused like an unknown JSON field. The file's bytes are
 * counted, hashed and handed on in pieces ({@link #takeFileBytes()}), never collected whole; its
 * type is checked from its first bytes as soon as they are in. Alongside, a fingerprint of the
 * form's content (each part's field name, file name, type and bytes, but not the boundary, which
 * clients choose afresh for every request) is hashed for the Idempotency-Key.
 *
 * <p>Not thread-safe: one upload, fed in order. Every refusal is an {@link ApiException}.
 */
public final class MultipartUpload implements MultipartParser.PartHandler {
    public static final String FILE = "file";
    public static final String NAME = "name";
    /**
     * Room for the form around the file: boundaries, each part's headers and the name field. The
     * request limit of the upload paths leaves at least this beside the file ({@link MediaLimitCheck}).
     */
    static final long FORM_BYTES = 64 * 1024;
    /** A name is at most 255 characters: at most 4 bytes each, with room for surrounding spaces. */
    static final int MAX_NAME_BYTES = 4 * Media.MAX_NAME + 64;

    private final MultipartParser.ParseState parser;
    private final long maxFileBytes;
    private final MessageDigest formDigest = Sha256.newDigest();
    private final MessageDigest fileDigest = Sha256.newDigest();

    private String field;
    private long partBytes;
    private boolean sawFile;
    private boolean sawName;
    private String fileName;
    private String declaredType;
    private String detectedType;
    private long fileBytes;
    /** Every byte of the body fed so far. */
    private long bodyBytes;
    /** The part encodings that leave the bytes as they are. */
    private static final Set<String> IDENTITY_TRANSFER_ENCODINGS = Set.of("binary", "8bit", "7bit");
    private final ByteArrayOutputStream head = new ByteArrayOutputStream(MediaTypes.HEAD_BYTES);
    private final ByteArrayOutputStream nameBytes = new ByteArrayOutputStream();
    private ByteArrayOutputStream pending = new ByteArrayOutputStream();

    private MultipartUpload(byte[] boundary, long maxFileBytes) {
        this.parser = MultipartParser.beginParse(this, boundary, StandardCharsets.UTF_8.name());
        this.maxFileBytes = maxFileBytes;
    }

    /** Starts reading an upload sent with this Content-Type (400 without a boundary). */
    public static MultipartUpload start(String contentType, long maxFileBytes) {
        String boundary = contentType == null ? null : HeaderUtil.extractQuotedValueFromHeader(contentType, "boundary");
        if (boundary == null || boundary.isEmpty() || boundary.length() > 200) {
            throw ValidationException.badRequest("An upload is multipart/form-data with a boundary of 1 to 200 characters.");
        }
        return new MultipartUpload(boundary.getBytes(StandardCharsets.ISO_8859_1), maxFileBytes);
    }

    /**
     * Parses the next piece of the body; throws the refusal that ends the upload. The form around
     * the file (boundaries, part headers, the name field, a preamble) may take the room the upload
     * limit leaves it ({@link #FORM_BYTES}), no more: the parser keeps a part's
     * headers until they end, so headers that never do would otherwise fill memory.
     */
    public void feed(byte[] piece) {
        bodyBytes += piece.length;
        try {
            parser.parse(ByteBuffer.wrap(piece));
        } catch (ApiException e) {
            throw e;
        } catch (IOException | MultipartParser.MalformedMessageException e) {
            throw malformed();
        }
        if (bodyBytes - fileBytes > FORM_BYTES) {
            throw ValidationException.badRequest("The form around the file (boundaries, part headers, the name field) is over "
                    + FORM_BYTES + " bytes.");
        }
    }

    /** The file bytes received since the last call (possibly none). */
    public byte[] takeFileBytes() {
        byte[] bytes = pending.toByteArray();
        pending = new ByteArrayOutputStream();
        return bytes;
    }

    /** File bytes received and not yet taken. */
    public int pendingFileBytes() {
        return pending.size();
    }

    /** File bytes received so far. */
    public long fileBytes() {
        return fileBytes;
    }

    /** The body has ended: what was uploaded (400 for a body that stopped early, 422 without a file). */
    public Result finish() {
        if (!parser.isComplete()) {
            throw malformed();
        }
        if (!sawFile) {
            throw ValidationException.invalid(FILE, "Send the file as the multipart form field 'file'.");
        }
        if (fileBytes == 0) {
            throw ValidationException.invalid(FILE, "The file is empty.");
        }
        if (detectedType == null) {
            detectedType = MediaTypes.check(head.toByteArray(), declaredType);
        }
        String name = sawName ? decodeName() : null;
        return new Result(name, fileName, detectedType, fileBytes, Sha256.finish(fileDigest),
                Sha256.finish(formDigest));
    }

    /**
     * @param name the {@code name} field (null when not sent)
     * @param fileName the file name of the {@code file} part (null when not sent)
     * @param contentType the type the bytes are
     * @param formSha256 the fingerprint of the form's content for the Idempotency-Key
     */
    public record Result(String name, String fileName, String contentType, long size, String sha256, String formSha256) {
    }

    @Override
    public void beginPart(CaseInsensitiveMap<String> headers) {
        String disposition = headers.getFirst("content-disposition");
        String partField = disposition == null ? null : HeaderUtil.extractQuotedValueFromHeader(disposition, "name");
        if (partField == null || partField.isEmpty()) {
            throw ValidationException.badRequest("Each part of an upload needs a Content-Disposition header with a field name.");
        }
        String transferEncoding = headers.getFirst("content-transfer-encoding");
        if (transferEncoding != null && !IDENTITY_TRANSFER_ENCODINGS.contains(transferEncoding.trim().toLowerCase(Locale.ROOT))) {
            // RFC 7578 section 4.7: form-data parts carry their bytes as they are. The parser would
            // decode base64 or quoted-printable piece by piece, so the file would depend on how the
            // body was cut on the way.
            throw ValidationException.badRequest("Content-Transfer-Encoding '" + transferEncoding.trim()
                    + "' is not supported in uploads; send the file's bytes as they are (RFC 7578 section 4.7).");
        }
        String partFileName = fileNameOf(disposition);
        String partType = headers.getFirst("content-type");
        field = partField;
        partBytes = 0;
        digestText(partField);
        digestText(partFileName);
        digestText(partType == null ? null : partType.trim().toLowerCase(Locale.ROOT));
        switch (partField) {
            case FILE -> {
                if (sawFile) {
                    throw ValidationException.invalid(FILE, "Send one file per upload.");
                }
                sawFile = true;
                fileName = partFileName;
                declaredType = partType;
                MediaTypes.checkDeclared(partType);
            }
            case NAME -> {
                if (sawName) {
                    throw ValidationException.invalid(NAME, "Send the field 'name' once.");
                }
                sawName = true;
            }
            default -> throw ValidationException.invalid(partField, "Unknown form field '" + partField
                    + "'; an upload takes the fields 'file' and 'name'.");
        }
    }

    @Override
    public void data(ByteBuffer buffer) {
        int length = buffer.remaining();
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        formDigest.update(bytes);
        partBytes += length;
        if (FILE.equals(field)) {
            fileBytes += length;
            if (fileBytes > maxFileBytes) {
                throw SimpleErrors.payloadTooLarge(maxFileBytes);
            }
            fileDigest.update(bytes);
            pending.write(bytes, 0, length);
            if (detectedType == null && head.size() < MediaTypes.HEAD_BYTES) {
                head.write(bytes, 0, Math.min(length, MediaTypes.HEAD_BYTES - head.size()));
                if (head.size() == MediaTypes.HEAD_BYTES) {
                    detectedType = MediaTypes.check(head.toByteArray(), declaredType);
                }
            }
        } else if (NAME.equals(field)) {
            if (nameBytes.size() + length > MAX_NAME_BYTES) {
                throw ValidationException.invalid(NAME, "name is at most " + Media.MAX_NAME + " characters.");
            }
            nameBytes.write(bytes, 0, length);
        }
    }

    @Override
    public void endPart() {
        formDigest.update(ByteBuffer.allocate(Long.BYTES).putLong(partBytes).array());
        field = null;
    }

    /** A length-prefixed piece of text in the form's fingerprint (-1 for none), so that parts cannot run together. */
    private void digestText(String text) {
        if (text == null) {
            formDigest.update(ByteBuffer.allocate(Integer.BYTES).putInt(-1).array());
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        formDigest.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
        formDigest.update(bytes);
    }

    private String decodeName() {
        try {
            CharBuffer decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(nameBytes.toByteArray()));
            return decoded.toString();
        } catch (CharacterCodingException e) {
            throw ValidationException.invalid(NAME, "name must be UTF-8 text.");
        }
    }

    /**
     * The part's {@code filename} or RFC 5987 {@code filename*}. The library reads the latter's
     * charset and percent-escapes with exceptions of its own (an unknown charset, a bad escape, no
     * {@code ''}), which are the client's mistake: 400.
     */
    private static String fileNameOf(String disposition) {
        try {
            return HeaderUtil.extractQuotedValueFromHeaderWithEncoding(disposition, "filename");
        } catch (RuntimeException e) {
            throw ValidationException.badRequest("The file name in the part's Content-Disposition cannot be read: filename* is"
                    + " charset''percent-encoded-name (RFC 5987), e.g. filename*=UTF-8''photo.png.");
        }
    }

    private static ApiException malformed() {
        return ValidationException.badRequest("The upload is not a complete multipart/form-data body: check its boundary"
                + " and that every part ends.");
    }
}
